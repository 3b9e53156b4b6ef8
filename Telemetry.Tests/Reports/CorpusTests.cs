using System.Text.Json;
using Telemetry.Core.Reports;
using Telemetry.Core.Stats;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Reports;

/// <summary>
/// The corpus of awkward mail (Corpus/messages, one quirk per file) against the outcomes listed in Corpus/expected.json.
/// </summary>
public sealed class CorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(TestContext.CurrentContext.TestDirectory, "Corpus");

    public static IEnumerable<TestCaseData> Cases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, "expected.json")));
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var outcomes = entry.Value.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()!).ToArray();
            var reason = entry.Value.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            yield return new TestCaseData(entry.Name, outcomes, reason).SetName("Corpus_" + entry.Name);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Message_IngestedAlone_HasTheExpectedOutcomes(string file, string[] expected, string? reason)
    {
        using var store = new TestStore();
        var result = store.IngestOne(File.ReadAllBytes(Path.Combine(CorpusDirectory, "messages", file)));

        Assert.That(result.Items.Select(i => i.Outcome.ToWire()), Is.EqualTo(expected), string.Join("; ", result.Items.Select(i => i.Reason)));
        if (!string.IsNullOrEmpty(reason))
        {
            Assert.That(
                result.Items.Where(i => i.Reason is not null).Select(i => i.Reason!.ToLowerInvariant()),
                Has.Some.Contains(reason.ToLowerInvariant()));
        }
    }

    [Test]
    public void ExpectedJson_ListsEveryMessageOfTheCorpus()
    {
        var files = Directory.GetFiles(Path.Combine(CorpusDirectory, "messages"), "*.eml").Select(Path.GetFileName).Order().ToList();
        var listed = Cases().Select(c => (string)c.Arguments[0]!).Order().ToList();
        Assert.That(listed, Is.EqualTo(files));
    }

    [Test]
    public void WholeCorpus_InForwardAndReverseOrder_GivesIdenticalDataAndStatistics()
    {
        var files = Directory.GetFiles(Path.Combine(CorpusDirectory, "messages"), "*.eml").Order(StringComparer.Ordinal).ToList();
        using var forward = new TestStore();
        using var reverse = new TestStore();
        forward.Ingest(files.Select(f => TestMail.Raw(File.ReadAllBytes(f), f)));
        reverse.Ingest(Enumerable.Reverse(files).Select(f => TestMail.Raw(File.ReadAllBytes(f), f)));

        Assert.That(reverse.Snapshot(), Is.EqualTo(forward.Snapshot()));
        var asOf = new AsOf(new DateOnly(2026, 11, 15), AsOf.DefaultActiveWindow);
        Assert.That(new StatisticsQueries(reverse.Connection).Summary(asOf), Is.EqualTo(new StatisticsQueries(forward.Connection).Summary(asOf)));
        Assert.That(forward.Count("reports"), Is.GreaterThan(40));
    }

    [Test]
    public void WholeCorpus_IngestedTwice_SecondRunAcceptsNothingAndChangesNothing()
    {
        var files = Directory.GetFiles(Path.Combine(CorpusDirectory, "messages"), "*.eml").Order(StringComparer.Ordinal).ToList();
        using var store = new TestStore();
        var first = store.Ingest(files.Select(f => TestMail.Raw(File.ReadAllBytes(f), f)));
        var before = store.Snapshot();
        var second = store.Ingest(files.Select(f => TestMail.Raw(File.ReadAllBytes(f), f)));

        Assert.That(store.Snapshot(), Is.EqualTo(before));
        Assert.That(second.Accepted, Is.Zero);
        Assert.That(second.Dropped, Is.Zero);
        Assert.That(second.Messages, Is.EqualTo(first.Messages));
        Assert.That(second.Duplicate, Is.GreaterThanOrEqualTo(first.Accepted));
    }
}
