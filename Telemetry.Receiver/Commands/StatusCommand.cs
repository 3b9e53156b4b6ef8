using System.Globalization;
using Spectre.Console.Cli;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry status</c>: what the service last did.</summary>
public sealed class StatusCommand(CliContext cli) : Command<OutputSettings>
{
    private static readonly Column<ServiceStatus>[] Columns =
    [
        new("mailbox", "Mailbox", s => s.Mailbox),
        new("lastCycleAt", "Last pass (UTC)", s => Time(s.LastCycleAt)),
        new("lastSuccessAt", "Last successful pass (UTC)", s => Time(s.LastSuccessAt)),
        new("waiting", "Messages waiting at the last pass", s => s.Waiting),
        new("lastError", "Last error", s => s.LastError),
        new("lastErrorAt", "Last error at (UTC)", s => Time(s.LastErrorAt)),
        new("lastPurgeAt", "Last retention run (UTC)", s => Time(s.LastPurgeAt)),
        new("outcomesToday", "Outcomes today", s => s.OutcomesToday, s => s.OutcomesToday.Count == 0 ? "none" : string.Join(", ", s.OutcomesToday.Select(o => $"{o.Key}: {o.Value:N0}")))
        {
            Flat = s => string.Join("; ", s.OutcomesToday.Select(o => $"{o.Key}={o.Value}")),
        },
    ];

    public override int Execute(CommandContext context, OutputSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var status = new ServiceStatusStore(connection).Read(cli.Time.GetUtcNow());
        Listing.WriteRecord(cli, settings.OutputFormat, status, Columns, "Receiver status", status.LastCycleAt is null ? "The service has not run on this database yet." : null);
        return TelemetryApp.ExitOk;
    }

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
