using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Ingestion;

/// <summary>
/// A message that kills the pass (here: stack exhaustion, which the extractor does not turn into an outcome; then the
/// connection is dropped, as a dead process would) is tried at most 3 times, then filed under Failed; the rest goes on.
/// </summary>
public sealed class CrashSafetyTests
{
    private static readonly byte[] Good1 = TestMail.WithJson(TestMail.Json("CRAS-HTES-T000-0001", "install", "2026-11-01T00:00:00Z"));
    private static readonly byte[] Poison = TestMail.WithJson(TestMail.Json("CRAS-HTES-T000-0666", "install", "2026-11-01T00:00:00Z"));
    private static readonly byte[] Good2 = TestMail.WithJson(TestMail.Json("CRAS-HTES-T000-0002", "install", "2026-11-01T00:00:00Z"));

    /// <summary>Dies on the poison message the way a stack overflow would: nothing catches it.</summary>
    private sealed class DeadlyExtractor : IReportExtractor
    {
        private readonly ReportExtractor inner = new(ExtractionLimits.Default);

        public IReadOnlyList<ExtractedItem> Extract(ReadOnlyMemory<byte> raw) =>
            raw.Span.SequenceEqual(Poison) ? throw new InsufficientExecutionStackException("simulated stack exhaustion") : inner.Extract(raw);

        public ExtractedItem TooLarge(long size) => inner.TooLarge(size);
    }

    [Test]
    public void PoisonMessage_IsTriedThreeTimes_ThenFiledUnderFailed_AndTheOthersAreStoredOnce()
    {
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "Maildir");
        Directory.CreateDirectory(Path.Combine(root, "cur"));
        Directory.CreateDirectory(Path.Combine(root, "new"));
        File.WriteAllBytes(Path.Combine(root, "new", "1-good"), Good1);
        File.WriteAllBytes(Path.Combine(root, "new", "2-poison"), Poison);
        File.WriteAllBytes(Path.Combine(root, "new", "3-good"), Good2);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero));
        var db = dir.File("t.db");
        var deaths = 0;
        MailboxCycle? survived = null;
        for (var run = 0; run < 6 && survived is null; run++)
        {
            var connection = TelemetryDatabase.Open(db);
            var ingestor = new Ingestor(connection, new DeadlyExtractor(), time);
            var processor = new MailboxProcessor(ingestor, new MaildirMailbox(root, new MailboxFolders(), time), time, NullLogger.Instance);
            try
            {
                survived = processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None);
            }
            catch (InsufficientExecutionStackException)
            {
                deaths++;
            }
            finally
            {
                connection.Dispose();
            }
        }

        Assert.That(deaths, Is.EqualTo(4), "the first run in batch mode, then three careful attempts");
        Assert.That(survived, Is.Not.Null);
        Assert.That(Directory.GetFiles(Path.Combine(root, ".Telemetry.Failed", "cur")), Has.Length.EqualTo(1));
        Assert.That(Directory.GetFiles(Path.Combine(root, ".Telemetry.Processed", "cur")), Has.Length.EqualTo(2));
        Assert.That(Directory.GetFiles(Path.Combine(root, "new")), Is.Empty);
        using var check = TelemetryDatabase.Open(db);
        Assert.That(check.ExecuteScalar<long>("SELECT count(*) FROM reports"), Is.EqualTo(2));
        Assert.That(check.ExecuteScalar<long>("SELECT count(*) FROM messages WHERE outcome = 'failed'"), Is.EqualTo(1));
        Assert.That(check.ExecuteScalar<long>("SELECT count(*) FROM settings WHERE name = 'batch_in_flight'"), Is.Zero);
        Assert.That(check.ExecuteScalar<long>("SELECT count(*) FROM processing_attempts"), Is.Zero);

        // A person moves it back to retry (say, after an upgrade fixed the bug): it is processed again.
        var failed = Directory.GetFiles(Path.Combine(root, ".Telemetry.Failed", "cur")).Single();
        File.Move(failed, Path.Combine(root, "new", "retry"));
        var retry = new MailboxProcessor(new Ingestor(check, new ReportExtractor(ExtractionLimits.Default), time), new MaildirMailbox(root, new MailboxFolders(), time), time, NullLogger.Instance)
            .RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None);
        Assert.That(retry.Summary.Accepted, Is.EqualTo(1));
        Assert.That(check.ExecuteScalar<long>("SELECT count(*) FROM reports"), Is.EqualTo(3));
    }

    [Test]
    public void CleanRuns_LeaveNoMarker_AndRecordNoAttempts()
    {
        using var store = new TestStore();
        store.Ingest(Good1, Good2);
        Assert.That(store.Connection.ExecuteScalar<long>("SELECT count(*) FROM settings WHERE name = 'batch_in_flight'"), Is.Zero);
        Assert.That(store.Count("processing_attempts"), Is.Zero);
    }
}
