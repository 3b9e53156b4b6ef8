using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Core.Stats;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Stats;

/// <summary>
/// Statistics of a generated population, checked against expectations computed here, independently, from the
/// generator's ground truth and the contract's definitions (not from the database).
/// </summary>
public sealed class StatisticsTests : IDisposable
{
    private static readonly CorpusOptions Options = new()
    {
        Instances = 80,
        Months = 18,
        Seed = 2026,
        OptOutRate = 0.15,
        UninstallRate = 0.2,
        LastMonth = new DateOnly(2026, 10, 1),
    };

    private GeneratedCorpus corpus = null!;
    private TestStore store = null!;

    [OneTimeSetUp]
    public void Ingest()
    {
        corpus = new CorpusGenerator(Options).Generate();
        store = new TestStore();
        store.Ingest(corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name)));
    }

    [OneTimeTearDown]
    public void Dispose() => store.Dispose();

    public static IEnumerable<DateOnly> AsOfDates() =>
    [
        new(2025, 6, 30),
        new(2025, 12, 31),
        new(2026, 4, 15),
        new(2026, 9, 10),
        new(2026, 11, 15),
        new(2027, 3, 1),
    ];

    [Test]
    public void StoredReports_AreExactlyTheGroundTruth()
    {
        var expected = corpus.AcceptedReports.Select(r => r.Identity.Key).Order(StringComparer.Ordinal).ToList();
        var stored = Dapper.SqlMapper.Query<string>(store.Connection, "SELECT report_key FROM reports").Order(StringComparer.Ordinal).ToList();
        Assert.That(stored, Is.EqualTo(expected));
        Assert.That(expected, Has.Count.GreaterThan(500));
    }

    [Test]
    public void GeneratedMailbox_InReverseOrderAndTwice_EndsInTheSameData()
    {
        using var reversed = new TestStore();
        reversed.Ingest(Enumerable.Reverse(corpus.Messages).Select(m => TestMail.Raw(m.Content, m.Name)));
        var again = reversed.Ingest(corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name)));

        Assert.That(reversed.Snapshot(), Is.EqualTo(store.Snapshot()));
        Assert.That(again.Accepted, Is.Zero);
    }

    [TestCaseSource(nameof(AsOfDates))]
    public void Summary_MatchesTheDefinitions(DateOnly date)
    {
        var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
        var latest = Latest(asOf);
        var active = latest.Where(r => r.GeneratedAt > asOf.WindowStart).ToList();
        var optedOut = corpus.OptEvents
            .Where(e => e.GeneratedAt <= asOf.End)
            .GroupBy(e => e.ServerId)
            .Count(g => g.OrderBy(e => e.GeneratedAt).ThenBy(e => e.Kind == ReportKind.OptOut).Last().Kind == ReportKind.OptOut);

        var expected = new Summary(
            date,
            45,
            active.Count,
            latest.Count - active.Count,
            optedOut,
            active.Sum(r => r.Confluence.UserCount ?? 0),
            active.Sum(r => r.Usage.ActiveUsers ?? 0));

        Assert.That(new StatisticsQueries(store.Connection).Summary(asOf), Is.EqualTo(expected));
    }

    [Test]
    public void Summary_AtTheLatestDate_HasSomethingInEveryFigure()
    {
        var s = new StatisticsQueries(store.Connection).Summary(new AsOf(new DateOnly(2026, 11, 15), AsOf.DefaultActiveWindow));
        Assert.Multiple(() =>
        {
            Assert.That(s.ActiveInstances, Is.GreaterThan(20));
            Assert.That(s.SilentInstances, Is.GreaterThan(0));
            Assert.That(s.OptedOutInstances, Is.GreaterThan(0));
        });
    }

    [TestCaseSource(nameof(AsOfDates))]
    public void Features_MatchTheDefinitions(DateOnly date)
    {
        var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
        var monthly = Latest(asOf).Where(r => r.GeneratedAt > asOf.WindowStart && r.Kind == ReportKind.Monthly).ToList();
        var expected = monthly
            .SelectMany(r => r.Features.Select(f => f.Name))
            .Distinct()
            .Select(name =>
            {
                var n = monthly.Count(r => r.Feature(name) > 0);
                return new FeatureAdoption(name, n, (double)n / monthly.Count);
            })
            .OrderByDescending(f => f.Instances).ThenBy(f => f.Feature, StringComparer.Ordinal)
            .ToList();

        Assert.That(new StatisticsQueries(store.Connection).Features(asOf), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(AsOfDates))]
    public void Versions_MatchTheDefinitions(DateOnly date)
    {
        var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
        var active = Latest(asOf).Where(r => r.GeneratedAt > asOf.WindowStart).ToList();
        var expected = active
            .GroupBy(r => r.Confluence.Version ?? "unknown")
            .ToDictionary(g => g.Key, g => g.Count());

        var actual = new StatisticsQueries(store.Connection).Versions(asOf, VersionOf.Confluence);

        Assert.That(actual.ToDictionary(v => v.Version, v => (int)v.Instances), Is.EqualTo(expected));
        Assert.That(actual.Sum(v => v.Share), Is.EqualTo(active.Count == 0 ? 0 : 1).Within(1e-9));
        var parsed = actual.Where(v => v.Version != "unknown").Select(v => Version.Parse(v.Version)).ToList();
        Assert.That(parsed, Is.Ordered, "versions are in version order, not text order");
    }

    [TestCaseSource(nameof(AsOfDates))]
    public void Licenses_MatchTheDefinitions(DateOnly date)
    {
        var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
        var expected = Active(asOf)
            .GroupBy(r => r.Addon.LicenseType ?? "unknown")
            .Select(g => new LicenseCount(g.Key, g.Count(), g.Sum(r => r.Confluence.UserCount ?? 0)))
            .OrderByDescending(r => r.Instances).ThenBy(r => r.LicenseType, StringComparer.Ordinal)
            .ToList();

        Assert.That(new StatisticsQueries(store.Connection).Licenses(asOf), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(AsOfDates))]
    public void Connections_MatchTheDefinitions(DateOnly date)
    {
        var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
        var expected = Active(asOf)
            .SelectMany(r => r.Connections.Where(c => c.Count > 0).Select(c => (Report: r, c.Name, c.Count)))
            .GroupBy(x => x.Name)
            .Select(g => new ConnectionCount(g.Key, g.Select(x => x.Report.ServerId).Distinct().Count(), g.Sum(x => x.Count)))
            .OrderByDescending(r => r.Instances).ThenBy(r => r.Type, StringComparer.Ordinal)
            .ToList();

        Assert.That(new StatisticsQueries(store.Connection).Connections(asOf), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(AsOfDates))]
    public void Editions_MatchTheDefinitions(DateOnly date)
    {
        var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
        var expected = Active(asOf)
            .GroupBy(r => (Edition: r.Confluence.Edition ?? "unknown", Nodes: r.Confluence.ClusterNodes))
            .ToDictionary(g => g.Key, g => (long)g.Count());

        var actual = new StatisticsQueries(store.Connection).Editions(asOf);

        Assert.That(actual.ToDictionary(e => (e.Edition, Nodes: e.ClusterNodes is { } n ? (long?)n : null), e => e.Instances), Is.EqualTo(expected.ToDictionary(e => (e.Key.Edition, Nodes: (long?)e.Key.Nodes), e => e.Value)));
        Assert.That(actual.Select(e => e.Edition).Distinct(), Is.SubsetOf(new[] { "server", "datacenter", "unknown" }));
    }

    [Test]
    public void Trend_EveryMonthMatchesTheDefinitions()
    {
        var asOf = new AsOf(new DateOnly(2026, 11, 20), AsOf.DefaultActiveWindow);
        var from = new DateOnly(2025, 1, 1);
        var actual = new StatisticsQueries(store.Connection).Trend(from, new DateOnly(2027, 6, 1), asOf);

        var expected = new List<MonthFigures>();
        for (var month = from; month <= new DateOnly(2026, 11, 1); month = month.AddMonths(1))
        {
            var end = new AsOf(month.AddMonths(1).AddDays(-1) < asOf.Date ? month.AddMonths(1).AddDays(-1) : asOf.Date, asOf.ActiveWindow);
            var start = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var active = Active(end);
            expected.Add(new MonthFigures(
                month,
                active.Count,
                active.Sum(r => r.Confluence.UserCount ?? 0),
                active.Sum(r => r.Usage.ActiveUsers ?? 0),
                corpus.AcceptedReports.Where(r => r.Kind == ReportKind.Install && r.GeneratedAt >= start && r.GeneratedAt <= end.End).Select(r => r.ServerId).Distinct().Count(),
                SilentMoments(asOf.ActiveWindow).Count(t => t > start.AddMilliseconds(-1) && t <= end.End),
                corpus.OptEvents.Where(e => e.Kind == ReportKind.OptOut && e.GeneratedAt >= start && e.GeneratedAt <= end.End).Select(e => e.ServerId).Distinct().Count()));
        }

        Assert.That(actual, Is.EqualTo(expected), "months after the as-of date are left out; the as-of month stops at the as-of date");
        Assert.Multiple(() =>
        {
            Assert.That(actual.Sum(m => m.NewInstallations), Is.GreaterThan(10));
            Assert.That(actual.Sum(m => m.WentSilent), Is.GreaterThan(3));
            Assert.That(actual.Sum(m => m.OptedOut), Is.GreaterThan(1));
        });
    }

    [Test]
    public void FeatureTrend_EveryMonthIsTheAdoptionAtItsEnd()
    {
        var asOf = new AsOf(new DateOnly(2026, 11, 20), AsOf.DefaultActiveWindow);
        var queries = new StatisticsQueries(store.Connection);
        var trend = queries.FeatureTrend(new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 1), asOf);

        foreach (var (month, end) in StatisticsQueries.Months(new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 1), asOf))
        {
            var monthly = Active(end).Where(r => r.Kind == ReportKind.Monthly).ToList();
            var expected = monthly.SelectMany(r => r.Features.Select(f => f.Name)).Distinct()
                .Select(name => (name, (long)monthly.Count(r => r.Feature(name) > 0)))
                .OrderBy(x => x.name, StringComparer.Ordinal).ToList();
            var rows = trend.Where(t => t.Month == month).ToList();
            Assert.That(rows.Select(r => (r.Feature, r.Instances)).OrderBy(x => x.Feature, StringComparer.Ordinal), Is.EqualTo(expected), month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(rows.Select(r => r.Base), Is.All.EqualTo((long)monthly.Count));
        }
    }

    [Test]
    public void SupersededAt_IsTheNextReportOfTheInstance_AfterAnyOrderOfWritesAndErasures()
    {
        using var reversed = new TestStore();
        reversed.Ingest(Enumerable.Reverse(corpus.Messages).Select(m => TestMail.Raw(m.Content, m.Name)));
        AssertSupersession(reversed);

        // Erase every third report, in an order unrelated to time, then check again.
        var ids = Dapper.SqlMapper.Query<(long Id, string Server)>(reversed.Connection, "SELECT id, server_id FROM reports ORDER BY report_key").Where((_, i) => i % 3 == 0).ToList();
        foreach (var group in ids.GroupBy(x => x.Server))
        {
            using var tx = reversed.Connection.BeginTransaction();
            new Telemetry.Core.Storage.ReportStore(reversed.Connection).Erase(ServerId.Parse(group.Key), group.Select(x => x.Id).ToList(), tx);
            tx.Commit();
        }

        AssertSupersession(reversed);
    }

    private static void AssertSupersession(TestStore db)
    {
        var wrong = Dapper.SqlMapper.ExecuteScalar<long>(
            db.Connection,
            """
            SELECT count(*) FROM reports r JOIN (
                SELECT id, lead(generated_at) OVER (PARTITION BY server_id ORDER BY generated_at, report_key) AS next FROM reports) n
              ON n.id = r.id
            WHERE r.superseded_at IS NOT n.next
               OR r.superseded_after_s IS NOT CAST(round((julianday(n.next) - julianday(r.generated_at)) * 86400) AS INTEGER)
            """);
        Assert.That(wrong, Is.Zero);
        Assert.That(Dapper.SqlMapper.ExecuteScalar<long>(db.Connection, "SELECT count(*) FROM reports WHERE superseded_at IS NOT NULL"), Is.GreaterThan(100));
    }

    /// <summary>
    /// The instants at which an instance went silent: a report's window ends (generated + window) before the next report
    /// of the instance, if any.
    /// </summary>
    private IEnumerable<DateTimeOffset> SilentMoments(TimeSpan window) =>
        corpus.AcceptedReports
            .GroupBy(r => r.ServerId)
            .SelectMany(g =>
            {
                var ordered = g.OrderBy(r => r.GeneratedAt).ThenBy(r => r.Identity.Key, StringComparer.Ordinal).ToList();
                return ordered
                    .Select((r, i) => (End: r.GeneratedAt + window, Next: i + 1 < ordered.Count ? ordered[i + 1].GeneratedAt : (DateTimeOffset?)null))
                    .Where(x => x.Next is null || x.Next > x.End)
                    .Select(x => x.End);
            });

    private List<Report> Active(AsOf asOf) => Latest(asOf).Where(r => r.GeneratedAt > asOf.WindowStart).ToList();

    /// <summary>The latest install or monthly report of each instance at the as-of date, from the ground truth.</summary>
    private List<Report> Latest(AsOf asOf) =>
        corpus.AcceptedReports
            .Where(r => r.Kind is ReportKind.Install or ReportKind.Monthly && r.GeneratedAt <= asOf.End)
            .GroupBy(r => r.ServerId)
            .Select(g => g.OrderBy(r => r.GeneratedAt).ThenBy(r => r.Identity.Key, StringComparer.Ordinal).Last())
            .ToList();
}
