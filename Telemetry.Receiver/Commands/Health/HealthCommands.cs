using System.ComponentModel;
using System.Globalization;
using Dapper;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Health;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Health;

/// <summary>Columns of flag listings.</summary>
internal static class FlagColumns
{
    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? string.Empty;

    public static readonly Column<HealthFlag>[] All =
    [
        new("id", "Id", f => f.Id, RightAligned: true),
        new("serverId", "Instance", f => f.ServerId),
        new("rule", "Rule", f => f.Rule),
        new("severity", "Severity", f => f.Severity.ToString().ToLowerInvariant()),
        new("figures", "Figures", f => f.Figures),
        new("status", "Status", f => f.Status.ToString().ToLowerInvariant(), f => f.Status == FlagStatus.Snoozed ? $"snoozed until {Time(f.SnoozedUntil)}" : f.Status.ToString().ToLowerInvariant()),
        new("firstSeen", "First seen (UTC)", f => SqlTypeHandlers.ToSql(f.FirstSeen), f => Time(f.FirstSeen)),
        new("lastSeen", "Last seen (UTC)", f => SqlTypeHandlers.ToSql(f.LastSeen), f => Time(f.LastSeen)) { Detail = true },
        new("note", "Note", f => f.Note) { Detail = true },
        new("resolvedAt", "Resolved (UTC)", f => SqlTypeHandlers.ToSql(f.ResolvedAt), f => Time(f.ResolvedAt)) { Detail = true },
    ];
}

/// <summary><c>telemetry health list</c>.</summary>
public sealed class HealthListCommand(CliContext cli) : Command<HealthListCommand.Settings>
{
    public sealed class Settings : OutputSettings
    {
        [CommandOption("--status <STATUS>")]
        [Description("open (default), acknowledged, snoozed, resolved, or all.")]
        [DefaultValue("open")]
        public string Status { get; init; } = "open";

        [CommandOption("--rule <RULE>")]
        [Description("Only this rule: silent, connection-failures, query-errors, outdated-addon, unsupported-confluence, unused, license-expiring, usage-drop, cloned-server-id.")]
        public string? Rule { get; init; }

        public override ValidationResult Validate()
        {
            if (Status is not ("open" or "acknowledged" or "snoozed" or "resolved" or "all"))
            {
                return ValidationResult.Error($"--status must be open, acknowledged, snoozed, resolved or all (got '{Status}').");
            }

            return Rule is not null && HealthRules.Find(Rule) is null
                ? ValidationResult.Error($"--rule must be one of {string.Join(", ", HealthRules.All.Select(r => r.Id))} (got '{Rule}').")
                : base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var flags = new HealthFlagStore(connection).List(settings.Status == "all" ? null : settings.Status, settings.Rule);
        Listing.Write(cli, settings.OutputFormat, flags, FlagColumns.All, $"Health flags ({settings.Status})", "No flag.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary>Settings of the commands about one flag.</summary>
public class FlagSettings : DatabaseSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The flag's id (see health list).")]
    public long Id { get; init; }
}

/// <summary><c>telemetry health show ID</c>.</summary>
public sealed class HealthShowCommand(CliContext cli) : Command<HealthShowCommand.Settings>
{
    public sealed class Settings : FlagSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("table, json or csv. Default: table")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var flag = new HealthFlagStore(connection).Find(settings.Id) ?? throw new UsageException($"There is no flag {settings.Id}.");
        var format = settings.Format switch { "json" => OutputFormat.Json, "csv" => OutputFormat.Csv, _ => OutputFormat.Table };
        var rule = HealthRules.Find(flag.Rule);
        Listing.WriteRecord(cli, format, flag, FlagColumns.All, $"Flag {flag.Id}", rule is null ? null : rule.Explanation(new HealthOptions()) + " What to do: " + rule.Advice);
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry health ack ID</c>.</summary>
public sealed class HealthAckCommand(CliContext cli) : Command<HealthAckCommand.Settings>
{
    public sealed class Settings : FlagSettings
    {
        [CommandOption("--note <TEXT>")]
        [Description("What was done or decided.")]
        public string? Note { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        if (!new HealthFlagStore(connection).Acknowledge(settings.Id, settings.Note))
        {
            throw new UsageException($"There is no unresolved flag {settings.Id}.");
        }

        cli.Out.WriteLine($"Flag {settings.Id} acknowledged.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry health snooze ID --until DATE</c>.</summary>
public sealed class HealthSnoozeCommand(CliContext cli) : Command<HealthSnoozeCommand.Settings>
{
    public sealed class Settings : FlagSettings
    {
        [CommandOption("--until <DATE>")]
        [Description("Hidden until this day (YYYY-MM-DD, UTC); then open again if the rule still holds.")]
        public string Until { get; init; } = string.Empty;

        public override ValidationResult Validate() =>
            DateOnly.TryParseExact(Until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? ValidationResult.Success()
                : ValidationResult.Error($"--until must be a date such as 2026-12-31 (got '{Until}').");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var until = new DateTimeOffset(DateOnly.ParseExact(settings.Until, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (until <= cli.Time.GetUtcNow())
        {
            throw new UsageException($"--until {settings.Until} is not in the future.");
        }

        using var connection = settings.OpenExisting();
        if (!new HealthFlagStore(connection).Snooze(settings.Id, until))
        {
            throw new UsageException($"There is no unresolved flag {settings.Id}.");
        }

        cli.Out.WriteLine($"Flag {settings.Id} snoozed until {settings.Until}.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry health evaluate</c>: now (recorded), or as flags would have stood on a past day (not recorded).</summary>
public sealed class HealthEvaluateCommand(CliContext cli) : Command<HealthEvaluateCommand.Settings>
{
    private static readonly Column<Finding>[] FindingColumns =
    [
        new("serverId", "Instance", f => f.ServerId),
        new("rule", "Rule", f => f.Rule.Id),
        new("severity", "Severity", f => f.Rule.Severity.ToString().ToLowerInvariant()),
        new("figures", "Figures", f => f.Figures),
    ];

    public sealed class Settings : OutputSettings
    {
        [CommandOption("--as-of <DATE>")]
        [Description("Show the flags as they would have stood at the end of this day (YYYY-MM-DD); nothing is recorded. Default: now, recorded.")]
        public string? AsOf { get; init; }

        public override ValidationResult Validate() =>
            AsOf is null || DateOnly.TryParseExact(AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? base.Validate()
                : ValidationResult.Error($"--as-of must be a date such as 2026-10-31 (got '{AsOf}').");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var evaluator = new HealthEvaluator(connection, new HealthOptions());
        if (settings.AsOf is not null)
        {
            var end = new Core.Stats.AsOf(DateOnly.ParseExact(settings.AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture), TimeSpan.Zero).End;
            var findings = evaluator.Findings(end);
            Listing.Write(cli, settings.OutputFormat, findings, FindingColumns, $"Flags as they stood on {settings.AsOf} ({findings.Count})", "No rule held.");
            return TelemetryApp.ExitOk;
        }

        Evaluation evaluation;
        using (var transaction = connection.BeginTransaction())
        {
            evaluation = evaluator.Record(cli.Time.GetUtcNow(), transaction);
            transaction.Commit();
        }

        Listing.Write(cli, settings.OutputFormat, evaluation.Findings, FindingColumns,
            $"Evaluated: {evaluation.Findings.Count} rules hold, {evaluation.Opened.Count} new flags, {evaluation.Resolved.Count} resolved", "No rule holds.");
        return TelemetryApp.ExitOk;
    }
}

/// <summary><c>telemetry outreach list</c>: open flags with how to reach the customer and what to say.</summary>
public sealed class OutreachListCommand(CliContext cli) : Command<OutreachListCommand.Settings>
{
    private static readonly Column<OutreachRow>[] Columns =
    [
        new("flagId", "Flag", r => r.FlagId, RightAligned: true),
        new("serverId", "Instance", r => r.ServerId),
        new("rule", "Rule", r => r.Rule),
        new("figures", "Figures", r => r.Figures),
        new("contact", "Contact", r => r.Contact),
        new("licenseSen", "License SEN (Marketplace)", r => r.LicenseSen),
        new("advice", "What to do", r => r.Advice),
    ];

    public sealed class Settings : OutputSettings
    {
        [CommandOption("--rule <RULE>")]
        [Description("Only this rule.")]
        public string? Rule { get; init; }

        public override ValidationResult Validate() =>
            Rule is not null && HealthRules.Find(Rule) is null
                ? ValidationResult.Error($"--rule must be one of {string.Join(", ", HealthRules.All.Select(r => r.Id))} (got '{Rule}').")
                : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var rows = connection.Query<(long Id, string ServerId, string Rule, string Figures, string? Email, string? Sen)>(
            """
            SELECT f.id, f.server_id, f.rule, f.figures, r.contact_email, r.license_sen
            FROM health_flags f
            LEFT JOIN instances i ON i.server_id = f.server_id
            LEFT JOIN reports r ON r.id = i.latest_report_id
            WHERE f.status = 'open' AND (@Rule IS NULL OR f.rule = @Rule)
            ORDER BY f.first_seen, f.id
            """,
            new { settings.Rule })
            .Select(r => new OutreachRow(r.Id, r.ServerId, r.Rule, r.Figures,
                r.Email ?? string.Empty,
                r.Email is null ? r.Sen ?? string.Empty : string.Empty,
                HealthRules.Find(r.Rule)?.Advice ?? string.Empty))
            .ToList();
        Listing.Write(cli, settings.OutputFormat, rows, Columns, "Instances to reach out to", "No open flag.");
        return TelemetryApp.ExitOk;
    }

    /// <summary>One open flag with the way to reach the customer: the contact an administrator gave, else the SEN to look up.</summary>
    public sealed record OutreachRow(long FlagId, string ServerId, string Rule, string Figures, string Contact, string LicenseSen, string Advice);
}
