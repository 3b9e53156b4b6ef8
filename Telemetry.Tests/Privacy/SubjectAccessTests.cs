using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Privacy;

/// <summary>Access, export and erasure of one instance, checked against the database file itself.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SubjectAccessTests
{
    private const string Server = "SUBJ-ECTA-CCES-0001";
    private const string Other = "OTHE-RINS-TANC-0002";
    private const string Contact = "it-lead@subject-customer.example";

    private static byte[] Monthly(string server, string id, string generatedAt, string period, int users) => TestMail.WithJson(TestMail.Json(
        server, "monthly", generatedAt, reportId: id, period: period, userCount: users,
        extra: $"\"contact\": {{\"email\": \"{(server == Server ? Contact : "other@else.example")}\"}}, \"connections\": [{{\"type\": \"oracle\", \"count\": 2}}], \"errors\": {{\"queryErrors\": 3}}"));

    private static TestStore Populated()
    {
        var store = new TestStore();
        store.Ingest(
            Monthly(Server, "cccccccc-0000-4000-8000-000000000001", "2026-09-01T02:00:00+02:00", "2026-08-01/2026-08-31", 101),
            Monthly(Server, "cccccccc-0000-4000-8000-000000000002", "2026-10-01T02:00:00+02:00", "2026-09-01/2026-09-30", 102),
            Monthly(Other, "cccccccc-0000-4000-8000-000000000003", "2026-10-01T02:00:00Z", "2026-09-01/2026-09-30", 555));
        return store;
    }

    private static SubjectAccess Access(TestStore store) => new(store.Connection, store.Time, NullLogger.Instance);

    private static string Files(TestStore store) =>
        Encoding.Latin1.GetString(File.ReadAllBytes(store.DatabasePath))
        + (File.Exists(store.DatabasePath + "-wal") ? Encoding.Latin1.GetString(File.ReadAllBytes(store.DatabasePath + "-wal")) : string.Empty);

    [Test]
    public void Export_HoldsEveryStoredColumnOfEveryReport_AndTheCountersAndMessageRecords()
    {
        using var store = Populated();
        var path = Path.Combine(store.Folder, "export.json");
        Access(store).Export(ServerId.Parse(Server), path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var exported = root.GetProperty("reports").EnumerateArray().ToList();
        var rows = store.Connection.Query("SELECT * FROM reports WHERE server_id = @Server ORDER BY generated_at", new { Server })
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.That(exported, Has.Count.EqualTo(rows.Count).And.Count.EqualTo(2));
        for (var i = 0; i < rows.Count; i++)
        {
            foreach (var (column, value) in rows[i])
            {
                Assert.That(exported[i].TryGetProperty(column, out var e), Is.True, column);
                var text = e.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => e.GetString(),
                    _ => e.GetRawText(),
                };
                Assert.That(text, Is.EqualTo(value is null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)), column);
            }

            var id = (long)rows[i]["id"]!;
            var features = store.Connection.Query<(string, long)>("SELECT name, count FROM report_features WHERE report_id = @id", new { id }).ToList();
            Assert.That(exported[i].GetProperty("features").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())), Is.EquivalentTo(features));
            Assert.That(exported[i].GetProperty("connections").GetArrayLength(), Is.EqualTo(1));
            Assert.That(exported[i].GetProperty("errors").GetProperty("queryErrors").GetInt64(), Is.EqualTo(3));
        }

        Assert.That(root.GetProperty("messages").GetArrayLength(), Is.EqualTo(2));
        Assert.That(root.GetProperty("serverId").GetString(), Is.EqualTo(Server));
        Assert.That(File.ReadAllText(path), Does.Not.Contain(Other), "nothing of another instance");
        Assert.That(store.Connection.ExecuteScalar<long>("SELECT count(*) FROM audit_log WHERE action = 'export'"), Is.EqualTo(1));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Forget_RemovesEveryByteOfTheInstance_KeepsTheOthers_AndSuppressesItFromNowOn()
    {
        using var store = Populated();
        store.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.That(Files(store), Does.Contain(Server).And.Contain(Contact));

        var counts = Access(store).Forget(ServerId.Parse(Server), "asked by email", dryRun: false);

        Assert.That(counts["reports"], Is.EqualTo(2));
        Assert.That(counts["messages"], Is.EqualTo(2));
        var files = Files(store);
        Assert.Multiple(() =>
        {
            Assert.That(files, Does.Not.Contain(Server));
            Assert.That(files, Does.Not.Contain(Contact));
            Assert.That(files, Does.Not.Contain("cccccccc-0000-4000-8000-000000000001"));
            Assert.That(files, Does.Contain(Other), "other instances stay");
        });
        var late = store.IngestOne(Monthly(Server, "cccccccc-0000-4000-8000-000000000004", "2026-11-01T02:00:00+02:00", "2026-10-01/2026-10-31", 103));
        Assert.That(late.Outcome, Is.EqualTo(Outcome.Dropped));
        var audit = new AuditLog(store.Connection, store.Time).Since(null);
        Assert.That(audit.Select(a => a.Action), Does.Contain("forget").And.Contain("optout"));
        Assert.That(audit.Single(a => a.Action == "forget").OsUser, Is.EqualTo(Environment.UserName));
    }

    [Test]
    public void ForgetDryRun_CountsWhatWouldGo_AndChangesNothing()
    {
        using var store = Populated();
        var before = store.Snapshot();
        var audit = store.Count("audit_log");

        var counts = Access(store).Forget(ServerId.Parse(Server), null, dryRun: true);

        Assert.That(counts["reports"], Is.EqualTo(2));
        Assert.That(counts["report_errors"], Is.EqualTo(2));
        Assert.That(store.Snapshot(), Is.EqualTo(before));
        Assert.That(store.Count("audit_log"), Is.EqualTo(audit));
        Assert.That(store.Count("opt_events"), Is.Zero);
    }

    [Test]
    public void Forget_UnderLegalHold_IsRefused_AndAllowedOnceReleased()
    {
        using var store = Populated();
        var holds = new LegalHolds(store.Connection, store.Time);
        Assert.That(holds.Hold(ServerId.Parse(Server), "litigation 17"), Is.True);
        Assert.That(holds.Hold(ServerId.Parse(Server), "again"), Is.False);

        var e = Assert.Throws<InvalidOperationException>(() => Access(store).Forget(ServerId.Parse(Server), null, dryRun: false));
        Assert.That(e!.Message, Does.Contain("legal hold"));
        Assert.That(store.Count("reports"), Is.EqualTo(3));

        Assert.That(holds.Release(ServerId.Parse(Server), "settled"), Is.True);
        Access(store).Forget(ServerId.Parse(Server), null, dryRun: false);
        Assert.That(store.Count("reports"), Is.EqualTo(1));
        Assert.That(new AuditLog(store.Connection, store.Time).Since(null).Select(a => a.Action), Is.SupersetOf(new[] { "hold", "release", "forget" }));
    }

    [Test]
    public void OptOutOfAHeldInstance_KeepsItsReportsUntilTheHoldIsReleased_ThenErasesThem()
    {
        using var store = Populated();
        var holds = new LegalHolds(store.Connection, store.Time);
        holds.Hold(ServerId.Parse(Server), "litigation 17");

        store.Ingest(TestMail.WithJson(TestMail.Json(Server, "optout", "2026-10-20T00:00:00Z", reportId: "cccccccc-0000-4000-8000-000000000009")));
        Assert.That(store.Count("reports"), Is.EqualTo(3), "the hold wins over the erasure");
        var late = store.IngestOne(Monthly(Server, "cccccccc-0000-4000-8000-000000000005", "2026-11-01T02:00:00+02:00", "2026-10-01/2026-10-31", 104));
        Assert.That(late.Outcome, Is.EqualTo(Outcome.Dropped), "collection stops at once");

        holds.Release(ServerId.Parse(Server), "settled");
        Assert.That(store.Count("reports"), Is.EqualTo(1));
        store.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        Assert.That(Files(store), Does.Not.Contain(Contact));
    }

    [Test]
    public void Export_OverAnExistingReadableFile_LeavesItOwnerOnly()
    {
        using var store = Populated();
        var path = Path.Combine(store.Folder, "B1TW-5NYH-B6LE-ZMQS.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Access(store).Export(ServerId.Parse(Server), path);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("reports").GetArrayLength(), Is.EqualTo(2));
        Assert.That(store.Connection.ExecuteScalar<string>("SELECT details FROM audit_log WHERE action = 'export'"), Does.Not.Contain(".json"), "file names may carry Server IDs");
    }

    [Test]
    public void AuditLog_IsAppendOnly()
    {
        using var store = Populated();
        new LegalHolds(store.Connection, store.Time).Hold(ServerId.Parse(Server), "x");
        var e = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => store.Connection.Execute("UPDATE audit_log SET details = 'changed'"));
        Assert.That(e!.Message, Does.Contain("append-only"));
    }

    [Test]
    public void AuditLog_NeverHoldsThePlainServerId()
    {
        using var store = Populated();
        new LegalHolds(store.Connection, store.Time).Hold(ServerId.Parse(Server), "x");
        Access(store).Export(ServerId.Parse(Server), Path.Combine(store.Folder, "e.json"));
        var text = string.Join('\n', store.Connection.Query<string>("SELECT coalesce(server_hash, '') || ' ' || coalesce(details, '') FROM audit_log"));
        Assert.That(text, Does.Not.Contain(Server));
        Assert.That(store.Connection.ExecuteScalar<string>("SELECT server_hash FROM audit_log WHERE action = 'hold'"), Has.Length.EqualTo(64));
    }
}
