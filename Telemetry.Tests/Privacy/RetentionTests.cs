using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Privacy;
using Telemetry.Core.Privacy.Retention;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Privacy;

/// <summary>Retention with a fake clock: 2 years after the end of the relationship, legal holds, isolation, idempotence.</summary>
public sealed class RetentionTests
{
    private const string Old = "RETE-NTIO-NOLD-0001";
    private const string Recent = "RETE-NTIO-NREC-0002";
    private const string Held = "RETE-NTIO-NHLD-0003";
    private const string OptedOut = "RETE-NTIO-NOPT-0004";
    private const string OptedBackIn = "RETE-NTIO-NBCK-0005";

    private static readonly DateTimeOffset Now = new(2028, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static byte[] Install(string server, DateTimeOffset at) =>
        TestMail.WithJson(TestMail.Json(server, "install", at.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] Notice(string server, string kind, DateTimeOffset at) =>
        TestMail.WithJson(TestMail.Json(server, kind, at.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));

    private static TestStore Populated()
    {
        var store = new TestStore(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var justOutside = Now - RetentionOptions.DefaultDataRetention - TimeSpan.FromMinutes(1);
        var justInside = Now - RetentionOptions.DefaultDataRetention + TimeSpan.FromMinutes(1);
        store.Ingest(
            Install(Old, justOutside),
            Install(Recent, justInside),
            Install(Held, justOutside),
            Notice(OptedOut, "optout", justOutside.AddDays(-10)),
            Notice(OptedBackIn, "optout", justOutside.AddDays(-20)),
            Notice(OptedBackIn, "optin", justOutside.AddDays(-10)),
            TestMail.Build(new MimeKit.TextPart("plain") { Text = "Hello, a question about licences." }, "Question"));
        new LegalHolds(store.Connection, store.Time).Hold(ServerId.Parse(Held), "litigation");
        return store;
    }

    private static IReadOnlyList<RetentionTaskResult> Purge(TestStore store, bool dryRun = false, IReadOnlyList<IRetentionTask>? tasks = null)
    {
        store.Time.SetUtcNow(Now);
        return new RetentionRunner(store.Connection, store.Time, NullLogger.Instance).Run(Now, new RetentionOptions(), dryRun, tasks);
    }

    private static List<string> Instances(TestStore store) =>
        store.Connection.Query<string>("SELECT server_id FROM instances ORDER BY server_id").ToList();

    [Test]
    public void Purge_RemovesInstancesJustOutsideTheWindow_KeepsThoseJustInsideAndHeldOnes()
    {
        using var store = Populated();
        var results = Purge(store);

        Assert.That(Instances(store), Is.EqualTo(new[] { Held, Recent }.Order().ToArray()));
        var reports = results.Single(r => r.Task == "expired-reports");
        Assert.That(reports.Instances, Is.EqualTo(1));
        Assert.That(reports.Rows["reports"], Is.EqualTo(1));
        Assert.That(results.All(r => !r.Failed), Is.True);
    }

    [Test]
    public void Purge_KeepsTheSuppressionOfAnInstanceStillOptedOut_AndDropsOldEventsOfOneOptedBackIn()
    {
        using var store = Populated();
        var service = new OptEventStoreProbe(store.Connection);
        Purge(store);

        Assert.That(service.Count(OptedOut), Is.EqualTo(1), "the opt-out stands: its suppression entry stays");
        Assert.That(service.Count(OptedBackIn), Is.Zero, "opted back in more than 2 years ago: its events go");
        Assert.That(store.IngestOne(Install(OptedOut, Now.AddYears(-3))).Outcome, Is.EqualTo(Outcome.Dropped));
    }

    [Test]
    public void Purge_RemovesOldMessageRecordsThatDescribeNoStoredReport_AndOldAuditEntries()
    {
        using var store = Populated();
        Assert.That(store.Connection.ExecuteScalar<long>("SELECT count(*) FROM messages WHERE outcome = 'not-a-report'"), Is.EqualTo(1));
        var results = Purge(store);

        Assert.That(store.Connection.ExecuteScalar<long>("SELECT count(*) FROM messages WHERE outcome = 'not-a-report'"), Is.Zero);
        Assert.That(store.Connection.ExecuteScalar<long>("SELECT count(*) FROM messages m WHERE EXISTS (SELECT 1 FROM reports r WHERE r.message_id = m.id)"), Is.EqualTo(2));
        Assert.That(results.Single(r => r.Task == "expired-audit-entries").Rows["audit_log"], Is.GreaterThan(0), "entries written in 2026 are over a year old in 2028");
        Assert.That(new AuditLog(store.Connection, store.Time).Since(null).Select(a => a.Action), Is.EqualTo(new[] { "purge" }));
    }

    [Test]
    public void Purge_LeavesNoByteOfAPurgedInstanceInTheFiles()
    {
        using var store = Populated();
        store.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.That(System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(store.DatabasePath)), Does.Contain(Old));

        Purge(store);

        var files = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(store.DatabasePath))
            + (File.Exists(store.DatabasePath + "-wal") ? System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(store.DatabasePath + "-wal")) : string.Empty);
        Assert.That(files, Does.Not.Contain(Old));
        Assert.That(files, Does.Contain(Recent));
    }

    [Test]
    public void PurgeTwice_SecondRunDeletesNothing()
    {
        using var store = Populated();
        Purge(store);
        var second = Purge(store);
        Assert.That(second.Sum(r => r.Rows.Total), Is.Zero, string.Join("; ", second.Select(r => r.Task + " " + r.Rows)));
    }

    [Test]
    public void DryRun_ReportsTheSameCountsAsTheRealRun_AndDeletesNothing()
    {
        using var store = Populated();
        var before = store.Snapshot();
        var dry = Purge(store, dryRun: true);
        Assert.That(store.Snapshot(), Is.EqualTo(before));
        var real = Purge(store);
        Assert.That(dry.Select(r => (r.Task, r.Rows.ToString(), r.Instances)), Is.EqualTo(real.Select(r => (r.Task, r.Rows.ToString(), r.Instances))));
    }

    [Test]
    public void AFailingTask_IsReported_AndTheOthersStillRun()
    {
        using var store = Populated();
        var results = Purge(store, tasks: [new BrokenTask(), new ExpiredReportsTask()]);

        Assert.That(results[0].Failed, Is.True);
        Assert.That(results[0].Error, Does.Contain("no such table"));
        Assert.That(results[1].Failed, Is.False);
        Assert.That(Instances(store), Does.Not.Contain(Old));
    }

    private sealed class BrokenTask : IRetentionTask
    {
        public string Name => "broken";

        public RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction)
        {
            context.Connection.Execute("DELETE FROM no_such_table", transaction: transaction);
            return new RetentionTaskResult(Name, new Telemetry.Core.Storage.TableCounts(), 0);
        }
    }

    private sealed class OptEventStoreProbe(SqliteConnection connection)
    {
        public int Count(string server) => new Telemetry.Core.Storage.OptEventStore(connection).ForServer(ServerId.Parse(server)).Count;
    }
}
