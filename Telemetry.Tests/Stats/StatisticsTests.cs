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

    /// <summary>The latest install or monthly report of each instance at the as-of date, from the ground truth.</summary>
    private List<Report> Latest(AsOf asOf) =>
        corpus.AcceptedReports
            .Where(r => r.Kind is ReportKind.Install or ReportKind.Monthly && r.GeneratedAt <= asOf.End)
            .GroupBy(r => r.ServerId)
            .Select(g => g.OrderBy(r => r.GeneratedAt).ThenBy(r => r.Identity.Key, StringComparer.Ordinal).Last())
            .ToList();
}
