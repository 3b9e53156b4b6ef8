using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Instance;

/// <summary>Settings of the commands about one instance.</summary>
public class InstanceSettings : DatabaseSettings
{
    [CommandArgument(0, "<SERVERID>")]
    [Description("The Confluence Server ID, such as B1TW-5NYH-B6LE-ZMQS (case and surrounding spaces do not matter).")]
    public string ServerIdText { get; init; } = string.Empty;

    public ServerId ServerId => Core.Reports.ServerId.Parse(ServerIdText);

    public override ValidationResult Validate() =>
        Core.Reports.ServerId.TryParse(ServerIdText, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"'{ServerIdText}' is not a Server ID: four groups of four letters or digits joined by '-', for example B1TW-5NYH-B6LE-ZMQS.");
}

/// <summary><c>telemetry instance show SERVERID</c>: everything held about an instance.</summary>
public sealed class InstanceShowCommand(CliContext cli) : Command<InstanceShowCommand.Settings>
{
    public sealed class Settings : InstanceSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("table (for people) or json (the same document as instance export). Default: table")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        public override ValidationResult Validate() =>
            Format is "table" or "json" ? base.Validate() : ValidationResult.Error($"--format must be table or json (got '{Format}').");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        using var loggers = cli.CreateLoggerFactory();
        var record = new SubjectAccess(connection, cli.Time, loggers.CreateLogger("Telemetry.Privacy")).Collect(settings.ServerId);
        if (settings.Format == "json")
        {
            cli.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(record, InstanceRecord.JsonOptions));
            return TelemetryApp.ExitOk;
        }

        var console = cli.OutConsole();
        console.WriteLine($"Instance {record.ServerId}: {(record.OptedOut ? "opted out" : "not opted out")}; " +
            $"{record.Reports.Count} reports, {record.Messages.Count} message records, {record.OptEvents.Count} opt events" +
            (record.LegalHold is { } h ? $"; under legal hold since {h.Since.UtcDateTime:yyyy-MM-dd} ({h.Reason})" : string.Empty));

        var reports = new Table().Title("Reports").AddColumns("Generated (UTC)", "Kind", "Period", "Confluence", "Play SQL", "Users", "Active users", "Contact");
        foreach (var r in record.Reports)
        {
            reports.AddRow(
                Text(r["generated_at"]).Replace('T', ' ')[..16],
                Text(r["kind"]),
                r["period_start"] is null ? string.Empty : $"{Text(r["period_start"])}/{Text(r["period_end"])}",
                Text(r["confluence_version"]),
                Text(r["addon_version"]),
                Text(r["user_count"]),
                Text(r["active_users"]),
                Text(r["contact_email"]));
        }

        console.Write(reports);
        var events = new Table().Title("Opt-out and opt-in events").AddColumns("Event", "At (UTC)", "Source", "Reason");
        foreach (var e in record.OptEvents)
        {
            events.AddRow(e.Kind, e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Source, Markup.Escape(e.Reason ?? string.Empty));
        }

        console.Write(events);
        var audit = new Table().Title("Audit log").AddColumns("At (UTC)", "Action", "By", "Details");
        foreach (var a in record.Audit)
        {
            audit.AddRow(a.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), a.Action, Markup.Escape(a.OsUser), Markup.Escape(a.Details ?? string.Empty));
        }

        console.Write(audit);
        console.WriteLine("Counters, message records and every column: telemetry instance show --format json, or instance export.");
        return TelemetryApp.ExitOk;
    }

    private static string Text(object? value) => Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
}

/// <summary><c>telemetry instance export SERVERID --out FILE</c>.</summary>
public sealed class InstanceExportCommand(CliContext cli) : Command<InstanceExportCommand.Settings>
{
    public sealed class Settings : InstanceSettings
    {
        [CommandOption("--out <FILE>")]
        [Description("The JSON file to write (created readable by its owner only).")]
        public string Out { get; init; } = string.Empty;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out FILE is required.") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        using var loggers = cli.CreateLoggerFactory();
        var record = new SubjectAccess(connection, cli.Time, loggers.CreateLogger("Telemetry.Privacy")).Export(settings.ServerId, settings.Out);
        cli.Out.WriteLine($"Wrote everything held about {record.ServerId} ({record.Reports.Count} reports, {record.Messages.Count} message records, {record.OptEvents.Count} opt events) to {settings.Out}");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry instance forget SERVERID</c>: erasure and suppression in one step.</summary>
public sealed class InstanceForgetCommand(CliContext cli) : Command<InstanceForgetCommand.Settings>
{
    public sealed class Settings : InstanceSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why (kept in the audit log).")]
        public string? Reason { get; init; }

        [CommandOption("--dry-run")]
        [Description("Show what would be erased, and change nothing.")]
        public bool DryRun { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        using var loggers = cli.CreateLoggerFactory();
        var counts = new SubjectAccess(connection, cli.Time, loggers.CreateLogger("Telemetry.Privacy")).Forget(settings.ServerId, settings.Reason, settings.DryRun);
        cli.Out.WriteLine(settings.DryRun
            ? $"Dry run: forgetting {settings.ServerId} would erase {counts} and suppress its future reports. Nothing was changed."
            : $"{settings.ServerId} is forgotten: erased {counts}; its reports will be dropped from now on.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry instance hold SERVERID --reason TEXT</c>.</summary>
public sealed class InstanceHoldCommand(CliContext cli) : Command<InstanceHoldCommand.Settings>
{
    public sealed class Settings : InstanceSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why the data must be kept (required; kept with the hold and in the audit log).")]
        public string Reason { get; init; } = string.Empty;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason TEXT is required for a legal hold.") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var added = new LegalHolds(connection, cli.Time).Hold(settings.ServerId, settings.Reason);
        cli.Out.WriteLine(added
            ? $"{settings.ServerId} is under legal hold: retention will not purge it and it cannot be forgotten until released."
            : $"{settings.ServerId} was already under legal hold; nothing changed.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry instance release SERVERID</c>.</summary>
public sealed class InstanceReleaseCommand(CliContext cli) : Command<InstanceReleaseCommand.Settings>
{
    public sealed class Settings : InstanceSettings
    {
        [CommandOption("--reason <TEXT>")]
        [Description("Why the hold ends (kept in the audit log).")]
        public string? Reason { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var removed = new LegalHolds(connection, cli.Time).Release(settings.ServerId, settings.Reason);
        cli.Out.WriteLine(removed
            ? $"{settings.ServerId} is no longer under legal hold; the retention period applies again."
            : $"{settings.ServerId} was not under legal hold; nothing changed.");
        return TelemetryApp.ExitOk;
    }
}
