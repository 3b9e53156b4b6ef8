using Dapper;
using Telemetry.Core.Health;
using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Health;

/// <summary>Flags through their life: open, acknowledged, snoozed, resolved, opened again; gone with an opt-out.</summary>
public sealed class FlagLifecycleTests
{
    private const string Server = "FLAG-LIFE-CYCL-E001";

    private static byte[] Monthly(string period, int failures, string id) => TestMail.WithJson(TestMail.Json(
        Server, "monthly", $"{DateOnly.Parse(period + "-01", System.Globalization.CultureInfo.InvariantCulture).AddMonths(1):yyyy-MM-dd}T02:00:00Z", reportId: id,
        period: $"{period}-01/{period}-28", extra: $"\"errors\": {{\"connectionFailures\": {failures}}}"));

    private static Evaluation Evaluate(TestStore store)
    {
        using var transaction = store.Connection.BeginTransaction();
        var evaluation = new HealthEvaluator(store.Connection, new HealthOptions()).Record(store.Time.GetUtcNow(), transaction);
        transaction.Commit();
        return evaluation;
    }

    [Test]
    public void Flag_OpensOnce_SurvivesAckAndSnooze_ResolvesOnANewerGoodReport_AndANewOccurrenceIsANewFlag()
    {
        using var store = new TestStore(new DateTimeOffset(2026, 9, 5, 0, 0, 0, TimeSpan.Zero));
        var flags = new HealthFlagStore(store.Connection);
        store.Ingest(Monthly("2026-08", 25, "eeeeeeee-0000-4000-8000-000000000001"));

        var first = Evaluate(store);
        Assert.That(first.Opened.Select(f => f.Rule), Is.EqualTo(new[] { "connection-failures" }));
        Assert.That(Evaluate(store).Opened, Is.Empty, "evaluating again opens nothing new");

        var id = first.Opened[0].Id;
        Assert.That(flags.Acknowledge(id, "called the admin"), Is.True);
        Assert.That(flags.Find(id)!.Status, Is.EqualTo(FlagStatus.Acknowledged));
        Assert.That(flags.Snooze(id, store.Time.GetUtcNow().AddDays(3)), Is.True);
        store.Time.Advance(TimeSpan.FromDays(2));
        Evaluate(store);
        Assert.That(flags.Find(id)!.Status, Is.EqualTo(FlagStatus.Snoozed));
        store.Time.Advance(TimeSpan.FromDays(2));
        Evaluate(store);
        Assert.That(flags.Find(id)!.Status, Is.EqualTo(FlagStatus.Open), "the snooze ended and the rule still holds");

        store.Time.SetUtcNow(new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero));
        store.Ingest(Monthly("2026-09", 0, "eeeeeeee-0000-4000-8000-000000000002"));
        var fixedUp = Evaluate(store);
        Assert.That(fixedUp.Resolved.Select(f => f.Id), Is.EqualTo(new[] { id }));
        Assert.That(flags.Find(id)!.Status, Is.EqualTo(FlagStatus.Resolved));

        store.Time.SetUtcNow(new DateTimeOffset(2026, 11, 5, 0, 0, 0, TimeSpan.Zero));
        store.Ingest(Monthly("2026-10", 40, "eeeeeeee-0000-4000-8000-000000000003"));
        var again = Evaluate(store);
        Assert.That(again.Opened.Single().Id, Is.Not.EqualTo(id), "a new occurrence is a new flag");
    }

    [Test]
    public void OptedOutInstance_HasNoFlags()
    {
        using var store = new TestStore(new DateTimeOffset(2026, 9, 5, 0, 0, 0, TimeSpan.Zero));
        store.Ingest(Monthly("2026-08", 25, "eeeeeeee-0000-4000-8000-000000000011"));
        Evaluate(store);
        Assert.That(store.Count("health_flags"), Is.EqualTo(1));

        new OptOutService(store.Connection, store.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).AddManual(ServerId.Parse(Server), null);
        Assert.That(store.Count("health_flags"), Is.Zero);
        Assert.That(Evaluate(store).Findings, Is.Empty);
    }

    [Test]
    public void EvaluateAsOf_OnAGeneratedPopulation_MatchesCountsComputedFromTheGroundTruth()
    {
        var corpus = new CorpusGenerator(new CorpusOptions { Instances = 60, Months = 12, Seed = 31, UninstallRate = 0.25 }).Generate();
        using var store = new TestStore();
        store.Ingest(corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name)));
        var end = new Telemetry.Core.Stats.AsOf(new DateOnly(2026, 11, 15), TimeSpan.Zero).End;

        var findings = new HealthEvaluator(store.Connection, new HealthOptions()).Findings(end);

        var latest = corpus.AcceptedReports.Where(r => r.GeneratedAt <= end).GroupBy(r => r.ServerId)
            .Select(g => g.OrderBy(r => r.GeneratedAt).ThenBy(r => r.Identity.Key, StringComparer.Ordinal).Last()).ToList();
        var silent = latest.Count(r => end - r.GeneratedAt > TimeSpan.FromDays(45));
        var outdated = latest.Count(r => r.Addon.Version is { } v && NuGet.Versioning.NuGetVersion.Parse(v) < NuGet.Versioning.NuGetVersion.Parse("4.0.0"));
        var oldConfluence = latest.Count(r => r.Confluence.Version is { } v && NuGet.Versioning.NuGetVersion.Parse(v) < NuGet.Versioning.NuGetVersion.Parse("7.19.0"));
        Assert.Multiple(() =>
        {
            Assert.That(findings.Count(f => f.Rule.Id == "silent"), Is.EqualTo(silent).And.GreaterThan(0));
            Assert.That(findings.Count(f => f.Rule.Id == "outdated-addon"), Is.EqualTo(outdated).And.GreaterThan(0));
            Assert.That(findings.Count(f => f.Rule.Id == "unsupported-confluence"), Is.EqualTo(oldConfluence));
        });
    }
}
