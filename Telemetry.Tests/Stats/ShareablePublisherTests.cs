using Telemetry.Core.Reports;
using Telemetry.Core.Stats;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Stats;

/// <summary>
/// Populations built so that plain figures would single out a few instances, published with --shareable, then
/// attacked from what is published: totals, other rows, sub-totals and cumulative counts.
/// </summary>
public sealed class ShareablePublisherTests : IDisposable
{
    private static readonly AsOf AsOf = new(new DateOnly(2026, 11, 15), AsOf.DefaultActiveWindow);

    private TestStore store = null!;
    private int next;

    [SetUp]
    public void CreateStore()
    {
        store = new TestStore();
        next = 0;
    }

    [TearDown]
    public void Dispose() => store.Dispose();

    [Test]
    public void Versions_ASmallOldVersionCannotBeTakenFromTheTotalNorFromTheCumulativeCounts()
    {
        Add(30, addon: "4.9.1");
        Add(12, addon: "4.8.0");
        Add(2, addon: "4.0.0");

        var plain = new StatisticsPublisher(store.Connection, shareable: false).Versions(AsOf, VersionOf.Addon);
        var shared = new StatisticsPublisher(store.Connection, shareable: true).Versions(AsOf, VersionOf.Addon);

        Assert.That(plain.Rows.Select(r => r.AtLeast!.Value.Value), Is.EqualTo(new long[] { 44, 42, 30 }), "without --shareable, 44 - 42 gives the 2 away");
        Assert.That(shared.Total, Is.EqualTo(new Figure(44)), "the total stays exact");
        Assert.That(shared.Rows[0].Instances.Text, Is.EqualTo("<5"));
        Assert.That(shared.Rows[0].Share, Is.Null);
        AttackVersions(shared);
    }

    [Test]
    public void Licenses_OneSmallTypeHidesAnotherAndTheirUsers()
    {
        Add(20, license: "commercial", users: 100);
        Add(8, license: "academic", users: 40);
        Add(1, license: "developer", users: 7);

        var shared = new StatisticsPublisher(store.Connection, shareable: true).Licenses(AsOf);
        var cells = shared.Rows.Select(r => r.Instances).ToList();
        SmallCellsTests.AssertNothingDisclosed(
            [.. cells.Select(c => c.Value)],
            new SmallCells.Protection([.. cells.Select(c => c.Disclosure)], [shared.Total.Disclosure]),
            [[.. Enumerable.Range(0, cells.Count)]]);
        Assert.That(shared.Rows.Single(r => r.LicenseType == "developer").Users.IsShown, Is.False);
        Assert.That(shared.Rows.Count(r => !r.Users.IsShown), Is.GreaterThanOrEqualTo(2), "a single hidden users figure would follow from the summary's total");
        var summary = new StatisticsPublisher(store.Connection, shareable: true).Summary(AsOf);
        Assert.That(summary.Users, Is.EqualTo(new Figure(20 * 100 + 8 * 40 + 7)));
    }

    [Test]
    public void Editions_TheDataCenterSubTotalDoesNotGiveAClusterSizeAway()
    {
        Add(20, edition: "server");
        Add(3, edition: "datacenter", nodes: 1);
        Add(10, edition: "datacenter", nodes: 2);

        var shared = new StatisticsPublisher(store.Connection, shareable: true).Editions(AsOf);
        var cells = shared.Rows.Where(r => r.Edition != "datacenter" || r.ClusterNodes is not null).ToList();
        var dc = shared.Rows.Single(r => r.Edition == "datacenter" && r.ClusterNodes is null);
        var dcCells = Enumerable.Range(0, cells.Count).Where(i => cells[i].Edition == "datacenter").ToList();
        SmallCellsTests.AssertNothingDisclosed(
            [.. cells.Select(c => c.Instances.Value)],
            new SmallCells.Protection([.. cells.Select(c => c.Instances.Disclosure)], [shared.Total.Disclosure, dc.Instances.Disclosure]),
            [[.. Enumerable.Range(0, cells.Count)], dcCells]);
        Assert.That(cells.Single(c => c.ClusterNodes == 1).Instances.Text, Is.EqualTo("<5"));
    }

    [Test]
    public void Features_AFeatureAllButTwoUseIsHidden_AndOneFewUseIsSmall()
    {
        Add(48, features: [new NamedCount("formulas", 3), new NamedCount("charts", 0)]);
        Add(2, features: [new NamedCount("formulas", 0), new NamedCount("charts", 1)]);

        var plain = new StatisticsPublisher(store.Connection, shareable: false).Features(AsOf);
        var shared = new StatisticsPublisher(store.Connection, shareable: true).Features(AsOf);

        Assert.That(plain.Rows.Single(f => f.Feature == "formulas").Instances, Is.EqualTo(new Figure(48)));
        Assert.That(shared.Total, Is.EqualTo(new Figure(50)));
        Assert.That(shared.Rows.Single(f => f.Feature == "formulas").Instances.Text, Is.EqualTo("x"), "50 - 48 would single out the 2 that do not use it");
        Assert.That(shared.Rows.Single(f => f.Feature == "charts").Instances.Text, Is.EqualTo("<5"));
        Assert.That(shared.Rows.All(f => f.Share is null), Is.True);
    }

    [Test]
    public void Summary_AndTrend_HideSmallCountsAndTheUsersOfFewInstances()
    {
        Add(3, users: 50);

        var summary = new StatisticsPublisher(store.Connection, shareable: true).Summary(AsOf);
        Assert.That(summary.ActiveInstances.Text, Is.EqualTo("<5"));
        Assert.That(summary.Users.Text, Is.EqualTo("x"));

        var trend = new StatisticsPublisher(store.Connection, shareable: true).Trend(new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 1), AsOf);
        Assert.That(trend.SelectMany(t => new[] { t.ActiveInstances, t.NewInstallations, t.WentSilent, t.OptedOut }).Where(f => f.Value < 5), Has.All.Property(nameof(Figure.Disclosure)).EqualTo(Disclosure.Small));
        Assert.That(trend.Select(t => t.Users).Where(u => u.Value > 0), Has.All.Property(nameof(Figure.Disclosure)).EqualTo(Disclosure.Hidden));
    }

    [Test]
    public void NotShareable_EverythingIsShownAsItIs()
    {
        Add(2, addon: "4.0.0");
        var plain = new StatisticsPublisher(store.Connection, shareable: false);
        Assert.That(plain.Versions(AsOf, VersionOf.Addon).Rows.Single().Instances, Is.EqualTo(new Figure(2)));
        Assert.That(plain.Summary(AsOf).Users.IsShown, Is.True);
    }

    private static void AttackVersions(Distribution<VersionRow> shared)
    {
        var cells = shared.Rows.Select(r => r.Instances).ToList();
        var n = cells.Count;
        IReadOnlyList<IReadOnlyList<int>> sums = [[.. Enumerable.Range(0, n)], .. Enumerable.Range(0, n).Select(k => (IReadOnlyList<int>)Enumerable.Range(k, n - k).ToList())];
        var protection = new SmallCells.Protection(
            [.. cells.Select(c => c.Disclosure)],
            [shared.Total.Disclosure, .. shared.Rows.Select(r => r.AtLeast!.Value.Disclosure)]);
        SmallCellsTests.AssertNothingDisclosed([.. cells.Select(c => c.Value)], protection, sums);
    }

    /// <summary>Stores one monthly report for each of <paramref name="count"/> new instances, generated 10 days before the as-of date.</summary>
    private void Add(int count, string addon = "4.9.1", string license = "commercial", string edition = "server", int? nodes = null, long users = 10, IReadOnlyList<NamedCount>? features = null)
    {
        using var tx = store.Connection.BeginTransaction();
        var reports = new ReportStore(store.Connection);
        for (var i = 0; i < count; i++)
        {
            var n = next++;
            var id = ServerId.Parse($"TEST-{n / 1000 % 10:D4}-{n % 1000:D4}-AAAA");
            reports.Insert(
                new Report
                {
                    FormatVersion = 2,
                    Kind = ReportKind.Monthly,
                    ServerId = id,
                    GeneratedAt = new DateTimeOffset(2026, 11, 5, 2, 0, 0, TimeSpan.Zero),
                    Period = new ReportPeriod(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)),
                    Confluence = new ConfluenceInfo { Version = "8.5.4", Edition = edition, ClusterNodes = nodes, UserCount = users },
                    Addon = new AddonInfo { Version = addon, LicenseType = license },
                    Usage = new UsageInfo { ActiveUsers = 1 },
                    Features = features ?? [new NamedCount("formulas", 1)],
                },
                messageId: null,
                receivedAt: AsOf.End,
                tx);
        }

        tx.Commit();
    }
}
