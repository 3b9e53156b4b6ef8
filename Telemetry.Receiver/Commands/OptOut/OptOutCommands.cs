using System.ComponentModel;
using System.Globalization;

using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.OptOut;

/// <summary>Settings of the commands that act on one instance.</summary>
public sealed class ServerIdSettings : DatabaseSettings
{
    [CommandArgument(0, "<SERVERID>")]
    [Description("The Confluence Server ID, such as B1TW-5NYH-B6LE-ZMQS (case and surrounding spaces do not matter).")]
    public string ServerIdText { get; init; } = string.Empty;

    [CommandOption("--reason <TEXT>")]
    [Description("Why (kept with the event).")]
    public string? Reason { get; init; }

    public ServerId ServerId => Core.Reports.ServerId.Parse(ServerIdText);

    public override ValidationResult Validate() =>
        Core.Reports.ServerId.TryParse(ServerIdText, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"'{ServerIdText}' is not a Server ID: four groups of four letters or digits joined by '-', for example B1TW-5NYH-B6LE-ZMQS.");
}

/// <summary><c>telemetry optout add SERVERID</c>.</summary>
public sealed class OptOutAddCommand(CliContext cli) : Command<ServerIdSettings>
{
    public override int Execute(CommandContext context, ServerIdSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenOrCreate();
        using var loggers = cli.CreateLoggerFactory();
        var service = new OptOutService(connection, cli.Time, loggers.CreateLogger("Telemetry.OptOut"));
        var erased = service.AddManual(settings.ServerId, settings.Reason)["reports"];
        cli.Out.WriteLine($"{settings.ServerId} is opted out from {cli.Time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC; {erased} stored reports erased.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry optout remove SERVERID</c>.</summary>
public sealed class OptOutRemoveCommand(CliContext cli) : Command<ServerIdSettings>
{
    public override int Execute(CommandContext context, ServerIdSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        using var loggers = cli.CreateLoggerFactory();
        var service = new OptOutService(connection, cli.Time, loggers.CreateLogger("Telemetry.OptOut"));
        if (!service.IsOptedOut(settings.ServerId))
        {
            cli.Out.WriteLine($"{settings.ServerId} is not opted out; nothing changed.");
            return TelemetryApp.ExitOk;
        }

        service.RemoveManual(settings.ServerId, settings.Reason);
        cli.Out.WriteLine($"{settings.ServerId} is opted in again from {cli.Time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC; reports generated from now on are accepted.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry optout list</c>.</summary>
public sealed class OptOutListCommand(CliContext cli) : Command<OutputSettings>
{
    private static readonly Column<OptEventRow>[] Columns =
    [
        new("serverHash", "Server (keyed hash)", r => r.ServerHash, r => r.ServerHash[..12] + "…"),
        new("kind", "Event", r => r.Kind),
        new("at", "At (UTC)", r => SqlTypeHandlers.ToSql(r.At), r => r.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        new("source", "Source", r => r.Source),
        new("reason", "Reason", r => r.Reason),
        new("recordedAt", "Recorded (UTC)", r => SqlTypeHandlers.ToSql(r.RecordedAt), r => r.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
    ];

    public override int Execute(CommandContext context, OutputSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        Listing.Write(cli, settings.OutputFormat, new OptEventStore(connection).All(), Columns, "Opt-out and opt-in events", "No opt-out or opt-in events.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry optout check SERVERID</c>: is this instance suppressed now?</summary>
public sealed class OptOutCheckCommand(CliContext cli) : Command<OptOutCheckCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
        [CommandArgument(0, "<SERVERID>")]
        [Description("The Confluence Server ID to look up (it is hashed, never stored).")]
        public string ServerIdText { get; init; } = string.Empty;

        [CommandOption("--format <FORMAT>")]
        [Description("table or json. Default: table")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        public override ValidationResult Validate()
        {
            if (!Core.Reports.ServerId.TryParse(ServerIdText, out _))
            {
                return ValidationResult.Error($"'{ServerIdText}' is not a Server ID: four groups of four letters or digits joined by '-', for example B1TW-5NYH-B6LE-ZMQS.");
            }

            return Format is "table" or "json" ? ValidationResult.Success() : ValidationResult.Error($"--format must be table or json (got '{Format}').");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var serverId = Core.Reports.ServerId.Parse(settings.ServerIdText);
        using var connection = settings.OpenExisting();
        var events = new OptEventStore(connection).ForServer(serverId);
        var now = cli.Time.GetUtcNow();
        var suppressed = OptOutPolicy.IsOptedOutAt(events, now);
        var since = suppressed ? events.Where(e => e.IsOptOut && e.At <= now).Max(e => e.At) : (DateTimeOffset?)null;
        if (settings.Format == "json")
        {
            Output.WriteJson(cli, new { serverId = serverId.Value, suppressed, since, events = events.Count });
        }
        else
        {
            cli.Out.WriteLine(suppressed
                ? $"{serverId} is opted out (since {since!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC): its reports are dropped."
                : $"{serverId} is not opted out ({events.Count} opt events on record).");
        }

        return TelemetryApp.ExitOk;
    }
}
