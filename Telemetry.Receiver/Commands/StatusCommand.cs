using System.Globalization;
using Spectre.Console.Cli;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry status</c>: what the service last did.</summary>
public sealed class StatusCommand(CliContext cli) : Command<OutputSettings>
{
    private static readonly Column<View>[] Columns =
    [
        new("mailbox", "Mailbox", v => v.S.Mailbox),
        new("lastCycleAt", "Last pass (UTC)", v => Time(v.S.LastCycleAt)),
        new("lastSuccessAt", "Last successful pass (UTC)", v => Time(v.S.LastSuccessAt)),
        new("waiting", "Messages waiting at the last pass", v => v.S.Waiting),
        new("lastError", "Last error", v => v.S.LastError),
        new("lastErrorAt", "Last error at (UTC)", v => Time(v.S.LastErrorAt)),
        new("lastPurgeAt", "Last retention run (UTC)", v => Time(v.S.LastPurgeAt)),
        new("outcomesToday", "Outcomes today", v => v.S.OutcomesToday, v => v.S.OutcomesToday.Count == 0 ? "none" : string.Join(", ", v.S.OutcomesToday.Select(o => $"{o.Key}: {o.Value:N0}")))
        {
            Flat = v => string.Join("; ", v.S.OutcomesToday.Select(o => $"{o.Key}={o.Value}")),
        },
        new("alertsPending", "Alert emails waiting", v => v.A.Pending, RightAligned: true),
        new("alertsFailed", "Alert emails failed (telemetry alerts retry)", v => v.A.Failed.Count, v => v.A.Failed.Count == 0 ? "0" : $"{v.A.Failed.Count}: {v.A.Failed[^1].LastError}"),
        new("alertLastSentAt", "Last alert sent (UTC)", v => Time(v.A.LastSentAt)),
    ];

    public override int Execute(CommandContext context, OutputSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var status = new ServiceStatusStore(connection).Read(cli.Time.GetUtcNow());
        var view = new View(status, Core.Alerts.AlertOutbox.Status(connection));
        Listing.WriteRecord(cli, settings.OutputFormat, view, Columns, "Receiver status", status.LastCycleAt is null ? "The service has not run on this database yet." : null);
        return TelemetryApp.ExitOk;
    }

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The service's status and its alert emails.</summary>
    private sealed record View(ServiceStatus S, Core.Alerts.AlertOutboxStatus A);
}
