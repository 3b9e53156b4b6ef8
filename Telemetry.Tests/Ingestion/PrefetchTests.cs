using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Ingestion;

/// <summary>Reading and parsing ahead on another thread changes nothing to what is stored, nor to failures and stops.</summary>
public sealed class PrefetchTests
{
    private static readonly GeneratedCorpus Corpus = new CorpusGenerator(new CorpusOptions { Instances = 40, Months = 10, Seed = 5, OptOutRate = 0.1 }).Generate();

    [Test]
    public void Prefetch_StoresExactlyWhatIngestingInTurnStores()
    {
        using var plain = new TestStore();
        using var ahead = new TestStore();
        var expected = plain.Ingest(Messages());
        var actual = new Ingestor(ahead.Connection, new ReportExtractor(ExtractionLimits.Default), ahead.Time) { Prefetch = true, BatchSize = 37 }.Ingest(Messages());

        Assert.That(actual.Messages, Is.EqualTo(expected.Messages));
        Assert.That((actual.Accepted, actual.Duplicate, actual.Dropped, actual.Invalid, actual.NotReport), Is.EqualTo((expected.Accepted, expected.Duplicate, expected.Dropped, expected.Invalid, expected.NotReport)));
        Assert.That(ahead.Snapshot(), Is.EqualTo(plain.Snapshot()));
    }

    [Test]
    public void ASourceThatFails_ThrowsInItsPlace_AfterCommittingWhatCameBefore()
    {
        using var store = new TestStore();
        var ingestor = new Ingestor(store.Connection, new ReportExtractor(ExtractionLimits.Default), store.Time) { Prefetch = true, BatchSize = 50 };

        var e = Assert.Throws<IOException>(() => ingestor.Ingest(Failing(after: 120)));

        Assert.That(e!.Message, Is.EqualTo("the disk went away"));
        using var plain = new TestStore();
        plain.Ingest(Messages().Take(120));
        Assert.That(store.Snapshot(), Is.EqualTo(plain.Snapshot()), "every message read before the failure is recorded, none after");
        Assert.That(store.Count("messages"), Is.EqualTo(plain.Count("messages")).And.GreaterThan(100));
    }

    [Test]
    public void AStopRequest_StopsTheReaderToo_AndKeepsWhatWasProcessed()
    {
        using var store = new TestStore();
        using var stop = new CancellationTokenSource();
        var ingestor = new Ingestor(store.Connection, new ReportExtractor(ExtractionLimits.Default), store.Time) { Prefetch = true, BatchSize = 10 };
        var seen = 0;

        Assert.Catch<OperationCanceledException>(() => ingestor.Ingest(Messages(), _ =>
        {
            if (++seen == 3)
            {
                stop.Cancel();
            }
        }, stop.Token));

        Assert.That(store.Count("messages"), Is.InRange(30, 40), "the batches committed before the stop, and the one in hand");
    }

    private static IEnumerable<RawMessage> Messages() => Corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name));

    private static IEnumerable<RawMessage> Failing(int after)
    {
        foreach (var m in Messages().Take(after))
        {
            yield return m;
        }

        throw new IOException("the disk went away");
    }
}
