using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Privacy.Retention;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry purge</c>: runs every retention task and says what each did.</summary>
public sealed class PurgeCommand(CliContext cli) : Command<PurgeCommand.Settings>
{
    private static readonly Column<RetentionTaskResult>[] Columns =
    [
        new("task", "Task", r => r.Task),
        new("rows", "Rows per table", r => r.Rows.ByTable, r => r.Rows.ToString()) { Flat = r => r.Rows.ToString() },
        Column.Count<RetentionTaskResult>("instances", "Instances", r => r.Instances),
        new("error", "Status", r => r.Error, r => r.Error is null ? "ok" : "FAILED: " + r.Error),
    ];

    public sealed class Settings : OutputSettings
    {
        [CommandOption("--dry-run")]
        [Description("Show what would be deleted, and delete nothing.")]
        public bool DryRun { get; init; }

        [CommandOption("--as-of <DATE>")]
        [Description("Apply the retention as it stands at the end of this day (YYYY-MM-DD, UTC). Default: today")]
        public string? AsOf { get; init; }

        [CommandOption("--retention-days <DAYS>")]
        [Description("Keep an instance's data this long after the end of the relationship (its last report or opt-out): 1 to 730, the policy's 2 years. Default: 730")]
        [DefaultValue(730)]
        public int RetentionDays { get; init; } = 730;

        [CommandOption("--audit-days <DAYS>")]
        [Description("Keep audit entries this long. Default: 365")]
        [DefaultValue(365)]
        public int AuditDays { get; init; } = 365;

        public override ValidationResult Validate()
        {
            if (AsOf is not null && !DateOnly.TryParseExact(AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return ValidationResult.Error($"--as-of must be a date such as 2026-10-31 (got '{AsOf}').");
            }

            if (RetentionDays is < 1 or > 730)
            {
                return ValidationResult.Error($"--retention-days must be between 1 and 730: the privacy policy keeps nothing longer than 2 years (got {RetentionDays}).");
            }

            if (AuditDays is < 1 or > 3650)
            {
                return ValidationResult.Error($"--audit-days must be between 1 and 3650 (got {AuditDays}).");
            }

            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var day = settings.AsOf is null
            ? DateOnly.FromDateTime(cli.Time.GetUtcNow().UtcDateTime)
            : DateOnly.ParseExact(settings.AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!settings.DryRun && day > DateOnly.FromDateTime(cli.Time.GetUtcNow().UtcDateTime))
        {
            throw new UsageException($"--as-of {day:yyyy-MM-dd} is in the future: a real purge would delete data before its time. Use it with --dry-run to see what will go.");
        }

        var now = new Core.Stats.AsOf(day, TimeSpan.Zero).End;
        using var connection = settings.OpenExisting();
        using var loggers = cli.CreateLoggerFactory();

        var options = new RetentionOptions
        {
            DataRetention = TimeSpan.FromDays(settings.RetentionDays),
            AuditRetention = TimeSpan.FromDays(settings.AuditDays),
        };
        var results = new RetentionRunner(connection, cli.Time, loggers.CreateLogger("Telemetry.Retention")).Run(now, options, settings.DryRun);
        var title = (settings.DryRun ? "Dry run: what retention would delete" : "Retention") + $" as of {day:yyyy-MM-dd}";
        Listing.Write(cli, settings.OutputFormat, results, Columns, title);
        return results.Any(r => r.Failed) ? TelemetryApp.ExitFailure : TelemetryApp.ExitOk;
    }
}
