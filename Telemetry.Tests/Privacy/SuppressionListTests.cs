using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Privacy;

/// <summary>The suppression list holds keyed hashes only, and an opt-out leaves no trace of the instance in the files.</summary>
public sealed class SuppressionListTests
{
    private const string Server = "ERAS-ETES-T000-0001";
    private const string Contact = "jane.admin@erased-customer.example";

    private static byte[] Monthly(string id, string generatedAt, string period) => TestMail.WithJson(TestMail.Json(
        Server, "monthly", generatedAt, reportId: id, period: period, extra: $"\"contact\": {{\"email\": \"{Contact}\", \"name\": \"Jane Admin\"}}"));

    private static readonly byte[] OptOut = TestMail.WithJson(TestMail.Json(Server, "optout", "2026-09-15T00:00:00Z", reportId: "bbbbbbbb-0000-4000-8000-000000000009"));

    private static string FileText(string path) =>
        File.Exists(path) ? Encoding.Latin1.GetString(File.ReadAllBytes(path)) : string.Empty;

    [Test]
    public void OptOutNotice_RemovesThePlainServerIdContactAndReportValues_FromTheDatabaseAndItsWal()
    {
        using var store = new TestStore();
        store.Ingest(
            Monthly("bbbbbbbb-0000-4000-8000-000000000001", "2026-08-01T02:00:00Z", "2026-07-01/2026-07-31"),
            Monthly("bbbbbbbb-0000-4000-8000-000000000002", "2026-09-01T02:00:00Z", "2026-08-01/2026-08-31"));
        store.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.That(FileText(store.DatabasePath), Does.Contain(Server).And.Contain(Contact), "the scan sees the values before the opt-out");

        store.Ingest(OptOut);

        var files = FileText(store.DatabasePath) + FileText(store.DatabasePath + "-wal");
        Assert.Multiple(() =>
        {
            Assert.That(files, Does.Not.Contain(Server));
            Assert.That(files, Does.Not.Contain(Server.ToLowerInvariant()));
            Assert.That(files, Does.Not.Contain(Contact));
            Assert.That(files, Does.Not.Contain("Jane Admin"));
            Assert.That(files, Does.Not.Contain("bbbbbbbb-0000-4000-8000-000000000001"));
            Assert.That(store.Count("opt_events"), Is.EqualTo(1));
        });
    }

    [Test]
    public void Suppression_HoldsAcrossARestart_AndNeedsOnlyTheKey()
    {
        using var dir = new TempDirectory();
        var db = dir.File("t.db");
        using (var connection = TelemetryDatabase.Open(db))
        {
            var ingestor = new Telemetry.Core.Ingestion.Ingestor(connection, new ReportExtractor(ExtractionLimits.Default), TimeProvider.System);
            ingestor.Ingest([TestMail.Raw(OptOut)]);
        }

        Assert.That(File.Exists(dir.File("t.key")), Is.True, "the key file is created beside the database");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(dir.File("t.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        using (var connection = TelemetryDatabase.Open(db))
        {
            var ingestor = new Telemetry.Core.Ingestion.Ingestor(connection, new ReportExtractor(ExtractionLimits.Default), TimeProvider.System);
            MessageResultHolder holder = new();
            ingestor.Ingest([TestMail.Raw(Monthly("bbbbbbbb-0000-4000-8000-000000000003", "2026-09-01T02:00:00Z", "2026-08-01/2026-08-31"))], b => holder.Result = b.Single());
            Assert.That(holder.Result!.Outcome, Is.EqualTo(Outcome.Dropped));
            Assert.That(Encoding.Latin1.GetString(File.ReadAllBytes(db)), Does.Not.Contain(Server));
        }
    }

    [Test]
    public void Open_WithAnotherKeyFile_IsRefusedNamingIt()
    {
        using var dir = new TempDirectory();
        TelemetryDatabase.Open(dir.File("t.db")).Dispose();
        var e = Assert.Throws<InvalidOperationException>(() => TelemetryDatabase.Open(dir.File("t.db"), keyPath: dir.File("other.key")).Dispose());
        Assert.That(e!.Message, Does.Contain("other.key"));
    }

    [Test]
    public void Open_WithTheKeyFileMissing_IsRefused_AndCreatesNoNewKey()
    {
        using var dir = new TempDirectory();
        TelemetryDatabase.Open(dir.File("t.db")).Dispose();
        File.Delete(dir.File("t.key"));

        var e = Assert.Throws<InvalidOperationException>(() => TelemetryDatabase.Open(dir.File("t.db")).Dispose());
        Assert.That(e!.Message, Does.Contain("t.key").And.Contain("missing"));
        Assert.That(File.Exists(dir.File("t.key")), Is.False);
    }

    [Test]
    public void EmptyKeyFile_LeftBeforeAnyHashWasMade_IsReplaced()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("t.key"), []);
        using (TelemetryDatabase.Open(dir.File("t.db")))
        {
        }

        Assert.That(new FileInfo(dir.File("t.key")).Length, Is.GreaterThan(32));
        Assert.That(Directory.GetFiles(dir.Path, "t.key.new-*"), Is.Empty, "no temporary key left behind");
    }

    [Test]
    public void Migration2_HashesTheEventsOfAVersion1Database()
    {
        using var dir = new TempDirectory();
        var db = dir.File("old.db");
        using (var old = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            old.Open();
            Assert.That(Migrator.Migrate(old, 1), Is.EqualTo(1));
            old.Execute(
                """
                INSERT INTO opt_events (event_key, server_id, kind, generated_at, source, recorded_at)
                VALUES ('manual:optout:OLDS-ERVE-R000-0001/2026-01-01T00:00:00.000Z', 'OLDS-ERVE-R000-0001', 'optout', '2026-01-01T00:00:00.000Z', 'manual', '2026-01-01T00:00:00.000Z')
                """);
        }

        using var upgraded = TelemetryDatabase.Open(db);
        var events = new OptEventStore(upgraded).ForServer(ServerId.Parse("OLDS-ERVE-R000-0001"));
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].IsOptOut, Is.True);
        Assert.That(Encoding.Latin1.GetString(File.ReadAllBytes(db)), Does.Not.Contain("OLDS-ERVE-R000-0001"));
    }

    private sealed class MessageResultHolder
    {
        public Telemetry.Core.Ingestion.MessageResult? Result { get; set; }
    }
}
