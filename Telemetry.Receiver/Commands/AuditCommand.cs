using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Privacy;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry audit</c>: the audit log.</summary>
public sealed class AuditCommand(CliContext cli) : Command<AuditCommand.Settings>
{
    private static readonly Column<AuditEntry>[] Columns =
    [
        new("at", "At (UTC)", e => SqlTypeHandlers.ToSql(e.At), e => e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        new("action", "Action", e => e.Action),
        new("serverHash", "Instance (keyed hash)", e => e.ServerHash, e => e.ServerHash is null ? string.Empty : e.ServerHash[..12] + "…"),
        new("osUser", "By", e => e.OsUser),
        new("details", "Details", e => e.Details),
    ];

    public sealed class Settings : OutputSettings
    {
        [CommandOption("--since <DATE>")]
        [Description("Only entries from this day on (YYYY-MM-DD, UTC).")]
        public string? Since { get; init; }

        public override ValidationResult Validate() =>
            Since is null || DateOnly.TryParseExact(Since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? base.Validate()
                : ValidationResult.Error($"--since must be a date such as 2026-10-31 (got '{Since}').");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        DateTimeOffset? since = settings.Since is null
            ? null
            : new DateTimeOffset(DateOnly.ParseExact(settings.Since, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Listing.Write(cli, settings.OutputFormat, new AuditLog(connection, cli.Time).Since(since), Columns, "Audit log", "No audit entries.");
        return TelemetryApp.ExitOk;
    }
}
