using Telemetry.Core.Alerts;
using Telemetry.Core.Health;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Alerts;

/// <summary>Flags to alert about, and digests enqueued the way the evaluation does: in a transaction of their own.</summary>
internal static class AlertFlags
{
    public static readonly DateTimeOffset Seen = new(2026, 11, 15, 11, 0, 0, TimeSpan.Zero);

    public static HealthFlag Flag(long id, string serverId, string rule = "connection-failures", string figures = "connectionFailures 12 (threshold 10)", Severity severity = Severity.Warning) =>
        new()
        {
            Id = id,
            ServerId = serverId,
            Rule = rule,
            Severity = severity,
            Figures = figures,
            FirstSeen = Seen,
            LastSeen = Seen,
            Status = FlagStatus.Open,
        };

    public static long Enqueue(TestStore store, params HealthFlag[] flags)
    {
        using var transaction = store.Connection.BeginTransaction();
        var id = new AlertOutbox(store.Time).Enqueue(flags, store.Connection, transaction)!.Value;
        transaction.Commit();
        return id;
    }
}
