using Telemetry.Core.Health;

namespace Telemetry.Tests.Health;

/// <summary>Each rule at its boundary.</summary>
public sealed class HealthRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly HealthOptions Options = new();

    private static ReportFigures Monthly(DateOnly period, long? failures = null, long? queries = null, long? queryErrors = null, long? active = null, long? spreadsheets = null) => new()
    {
        Kind = "monthly",
        GeneratedAt = new DateTimeOffset(period.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        PeriodStart = period,
        ConnectionFailures = failures,
        Queries = queries,
        QueryErrors = queryErrors,
        ActiveUsers = active,
        Spreadsheets = spreadsheets,
        AddonVersion = "4.9.1",
        ConfluenceVersion = "8.5.4",
    };

    private static InstanceHistory History(ReportFigures latest, ReportFigures? previous = null, DateTimeOffset? first = null, IReadOnlyList<long>? clones = null) => new()
    {
        ServerId = "HEAL-THTE-ST00-0001",
        FirstReportAt = first ?? Now.AddYears(-1),
        Latest = latest,
        LatestMonthly = latest.Kind == "monthly" ? latest : null,
        PreviousMonthly = previous,
        UserCountsForLatestPeriod = clones ?? [],
    };

    private static bool Holds(IHealthRule rule, InstanceHistory history) => rule.Check(history, Now, Options) is not null;

    [Test]
    public void Silent_After45Days_NotAt45()
    {
        var rule = new SilentRule();
        var at45 = Monthly(new DateOnly(2026, 9, 1)) with { GeneratedAt = Now.AddDays(-45) };
        var past45 = at45 with { GeneratedAt = Now.AddDays(-45).AddMinutes(-1) };
        Assert.That(Holds(rule, History(at45)), Is.False);
        Assert.That(Holds(rule, History(past45)), Is.True);
    }

    [TestCase(9, false)]
    [TestCase(10, true)]
    public void ConnectionFailures_From10(long failures, bool expected) =>
        Assert.That(Holds(new ConnectionFailuresRule(), History(Monthly(new DateOnly(2026, 10, 1), failures: failures))), Is.EqualTo(expected));

    [TestCase(100, 5, true)]
    [TestCase(100, 4, false)]
    [TestCase(99, 50, false)]
    [TestCase(1000, 50, true)]
    public void QueryErrors_AtLeast5PercentOfAtLeast100Queries(long queries, long errors, bool expected) =>
        Assert.That(Holds(new QueryErrorsRule(), History(Monthly(new DateOnly(2026, 10, 1), queries: queries, queryErrors: errors))), Is.EqualTo(expected));

    [TestCase("3.9.9", true)]
    [TestCase("4.0.0", false)]
    [TestCase("4.10.0", false)]
    [TestCase("not-a-version", false)]
    public void OutdatedAddon_ComparedAsVersions(string version, bool expected) =>
        Assert.That(Holds(new OutdatedAddonRule(), History(Monthly(new DateOnly(2026, 10, 1)) with { AddonVersion = version })), Is.EqualTo(expected));

    [TestCase("7.18.9", true)]
    [TestCase("7.19.0", false)]
    [TestCase("7.9.0", true)]
    [TestCase("8.0.0", false)]
    public void UnsupportedConfluence_ComparedAsVersions(string version, bool expected) =>
        Assert.That(Holds(new UnsupportedConfluenceRule(), History(Monthly(new DateOnly(2026, 10, 1)) with { ConfluenceVersion = version })), Is.EqualTo(expected));

    [Test]
    public void Unused_InstalledOver30DaysAgo_WithNoSpreadsheetAndNoQuery()
    {
        var idle = Monthly(new DateOnly(2026, 10, 1), queries: 0, spreadsheets: 0);
        Assert.That(Holds(new UnusedRule(), History(idle, first: Now.AddDays(-31))), Is.True);
        Assert.That(Holds(new UnusedRule(), History(idle, first: Now.AddDays(-29))), Is.False);
        Assert.That(Holds(new UnusedRule(), History(idle with { Queries = 1 }, first: Now.AddDays(-31))), Is.False);
    }

    [TestCase(30, true)]
    [TestCase(31, false)]
    [TestCase(-3, true)]
    public void LicenseExpiring_Within30Days(int days, bool expected) =>
        Assert.That(
            Holds(new LicenseExpiringRule(), History(Monthly(new DateOnly(2026, 10, 1)) with { LicenseExpiresOn = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(days) })),
            Is.EqualTo(expected));

    [TestCase(10, 5, true)]
    [TestCase(10, 6, false)]
    [TestCase(9, 0, false)]
    public void UsageDrop_HalfOrMoreFromAtLeast10(long before, long after, bool expected) =>
        Assert.That(
            Holds(new UsageDropRule(), History(Monthly(new DateOnly(2026, 10, 1), active: after), Monthly(new DateOnly(2026, 9, 1), active: before))),
            Is.EqualTo(expected));

    [Test]
    public void ClonedServerId_WhenTwoReportsOfOneMonthDisagree()
    {
        Assert.That(Holds(new ClonedServerIdRule(), History(Monthly(new DateOnly(2026, 10, 1)), clones: [120, 412])), Is.True);
        Assert.That(Holds(new ClonedServerIdRule(), History(Monthly(new DateOnly(2026, 10, 1)))), Is.False);
    }

    [Test]
    public void EveryRule_ExplainsItselfAndSaysWhatToDo()
    {
        Assert.That(HealthRules.All.Select(r => r.Id), Is.Unique);
        Assert.That(HealthRules.All, Has.Count.EqualTo(9));
        foreach (var rule in HealthRules.All)
        {
            Assert.That(rule.Explanation(Options), Is.Not.Empty, rule.Id);
            Assert.That(rule.Advice, Is.Not.Empty, rule.Id);
        }
    }
}
