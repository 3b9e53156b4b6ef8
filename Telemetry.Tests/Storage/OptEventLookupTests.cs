using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Storage;

/// <summary>The per-transaction lookup ingestion uses: it must see every event another lookup would see.</summary>
public sealed class OptEventLookupTests
{
    private static readonly ServerId First = ServerId.Parse("LOOK-UP00-0000-0001");
    private static readonly ServerId Second = ServerId.Parse("LOOK-UP00-0000-0002");
    private static readonly DateTimeOffset At = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void AnEventRecordedInTheTransaction_IsSeenByTheNextLookup()
    {
        using var store = new TestStore();
        var events = new OptEventStore(store.Connection);
        using var transaction = store.Connection.BeginTransaction();
        Assert.That(events.ForServerInBatch(First, transaction), Is.Empty);
        // Another store on the same connection records it (as the opt-out service does during ingestion).
        new OptEventStore(store.Connection).Insert("notice-1", new OptEvent(First, true, At, OptEventSource.Notice), null, At, transaction);
        Assert.That(events.ForServerInBatch(First, transaction), Is.EqualTo(events.ForServer(First, transaction)).And.Count.EqualTo(1));
        Assert.That(events.ForServerInBatch(Second, transaction), Is.Empty);
    }

    [Test]
    public void AnEventCommittedByAnotherConnection_IsSeenInTheNextTransaction()
    {
        using var store = new TestStore();
        var events = new OptEventStore(store.Connection);
        using (var transaction = store.Connection.BeginTransaction())
        {
            Assert.That(events.ForServerInBatch(Second, transaction), Is.Empty);
            transaction.Commit();
        }

        using (var other = TelemetryDatabase.Open(store.DatabasePath))
        using (var transaction = other.BeginTransaction())
        {
            new OptEventStore(other).Insert("manual-1", new OptEvent(Second, true, At, OptEventSource.Manual), "asked by email", At, transaction);
            transaction.Commit();
        }

        using (var transaction = store.Connection.BeginTransaction())
        {
            var seen = events.ForServerInBatch(Second, transaction);
            Assert.That(seen, Has.Count.EqualTo(1));
            Assert.That(seen[0].IsOptOut, Is.True);
            Assert.That(seen[0].Source, Is.EqualTo(OptEventSource.Manual));
        }
    }
}
