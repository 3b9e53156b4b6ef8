using Dapper;
using Telemetry.Core.Reports;
using Telemetry.Core.Stats;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Privacy;

/// <summary>The outcome of reports and the final data do not depend on the order opt-outs, opt-ins and reports arrive in.</summary>
public sealed class OptOutOrderTests
{
    private const string Server = "ORDR-TEST-0000-0001";

    private static readonly byte[] Install = TestMail.WithJson(TestMail.Json(Server, "install", "2026-03-01T10:00:00Z", reportId: "00000000-0000-4000-8000-000000000001"));
    private static readonly byte[] Monthly04 = TestMail.WithJson(TestMail.Json(Server, "monthly", "2026-05-01T02:00:00+02:00", reportId: "00000000-0000-4000-8000-000000000002", period: "2026-04-01/2026-04-30"));
    private static readonly byte[] OptOut = TestMail.WithJson(TestMail.Json(Server, "optout", "2026-06-01T00:00:00Z", reportId: "00000000-0000-4000-8000-000000000003"));
    private static readonly byte[] OptIn = TestMail.WithJson(TestMail.Json(Server, "optin", "2026-07-01T00:00:00Z", reportId: "00000000-0000-4000-8000-000000000004"));
    private static readonly byte[] Monthly07 = TestMail.WithJson(TestMail.Json(Server, "monthly", "2026-08-01T02:00:00+02:00", reportId: "00000000-0000-4000-8000-000000000005", period: "2026-07-01/2026-07-31", userCount: 250));
    private static readonly byte[] Monthly06 = TestMail.WithJson(TestMail.Json(Server, "monthly", "2026-06-20T02:00:00+02:00", reportId: "00000000-0000-4000-8000-000000000006", period: "2026-06-01/2026-06-30"));

    private static IEnumerable<IList<byte[]>> Permutations(IList<byte[]> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var p in Permutations(rest))
            {
                yield return [items[i], .. p];
            }
        }
    }

    [Test]
    public void EveryArrivalOrder_WhereTheOptInArrivesBeforeTheReportsItAllows_EndsInTheSameData()
    {
        // The two opt events and the reports that precede them, in every order; the report the opt-in allows comes last.
        var snapshots = new HashSet<string>();
        foreach (var order in Permutations([Install, Monthly04, OptOut, OptIn, Monthly06]))
        {
            using var store = new TestStore();
            store.Ingest([.. order, Monthly07]);
            snapshots.Add(store.Snapshot());
            Assert.That(store.Count("reports"), Is.EqualTo(1), "only the report generated after the opt-in survives");
        }

        Assert.That(snapshots, Has.Count.EqualTo(1));
    }

    [Test]
    public void OptOut_ErasesWhatWasStoredBeforeIt_AndDropsLateReportsGeneratedBeforeIt()
    {
        using var store = new TestStore();
        store.Ingest(Install, Monthly04);
        Assert.That(store.Count("reports"), Is.EqualTo(2));

        var optOut = store.IngestOne(OptOut);
        Assert.That(optOut.Outcome, Is.EqualTo(Outcome.Accepted));
        Assert.That(store.Count("reports"), Is.Zero);
        Assert.That(store.Count("instances"), Is.Zero);

        var late = store.IngestOne(Monthly06);
        Assert.That(late.Outcome, Is.EqualTo(Outcome.Dropped));
        Assert.That(store.Count("reports"), Is.Zero);
    }

    [Test]
    public void OptInArrivingBeforeTheOlderOptOut_StillWins()
    {
        using var store = new TestStore();
        store.Ingest(OptIn, Monthly07, OptOut);
        Assert.That(store.Count("reports"), Is.EqualTo(1));
        var users = store.Connection.ExecuteScalar<long>("SELECT user_count FROM reports");
        Assert.That(users, Is.EqualTo(250));
    }

    [Test]
    public void ManualOptOut_ErasesStoredReports_AndLaterReportsOfEarlierMonthsAreDropped()
    {
        using var store = new TestStore(new DateTimeOffset(2026, 8, 15, 0, 0, 0, TimeSpan.Zero));
        store.Ingest(Install, Monthly04);
        var service = new Telemetry.Core.Privacy.OptOutService(store.Connection, store.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var erased = service.AddManual(ServerId.Parse(Server), "asked by email")["reports"];

        Assert.That(erased, Is.EqualTo(2));
        Assert.That(store.IngestOne(Monthly07).Outcome, Is.EqualTo(Outcome.Dropped));
        Assert.That(service.IsOptedOut(ServerId.Parse(Server)), Is.True);
        var asOf = new AsOf(new DateOnly(2026, 8, 15), AsOf.DefaultActiveWindow);
        Assert.That(new StatisticsQueries(store.Connection).Summary(asOf).OptedOutInstances, Is.EqualTo(1));
    }

    [Test]
    public void ManualOptOutRemoved_AcceptsReportsGeneratedAfterwards()
    {
        using var store = new TestStore(new DateTimeOffset(2026, 5, 15, 0, 0, 0, TimeSpan.Zero));
        var service = new Telemetry.Core.Privacy.OptOutService(store.Connection, store.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        service.AddManual(ServerId.Parse(Server), null);
        store.Time.Advance(TimeSpan.FromDays(10));
        service.RemoveManual(ServerId.Parse(Server), null);

        Assert.That(store.IngestOne(Monthly04).Outcome, Is.EqualTo(Outcome.Dropped), "generated before the manual opt-out");
        Assert.That(store.IngestOne(Monthly07).Outcome, Is.EqualTo(Outcome.Accepted), "generated after the opt-out was lifted");
    }
}
