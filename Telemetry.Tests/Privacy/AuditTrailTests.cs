using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Privacy;
using Telemetry.Core.Privacy.Retention;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Privacy;

/// <summary>Every action on personal data leaves an audit entry: what, when, by whom, with the instance hashed.</summary>
public sealed class AuditTrailTests
{
    private const string Server = "AUDI-TTRA-IL00-0001";

    [Test]
    public void EachAction_WritesOneEntry()
    {
        using var store = new TestStore();
        var id = ServerId.Parse(Server);
        store.Ingest(TestMail.WithJson(TestMail.Json(Server, "optout", "2026-06-01T00:00:00Z", reportId: "dddddddd-0000-4000-8000-000000000001")));
        store.Ingest(TestMail.WithJson(TestMail.Json(Server, "optin", "2026-07-01T00:00:00Z", reportId: "dddddddd-0000-4000-8000-000000000002")));
        var optOuts = new OptOutService(store.Connection, store.Time, NullLogger.Instance);
        optOuts.AddManual(id, "asked by phone");
        store.Time.Advance(TimeSpan.FromSeconds(1));
        optOuts.RemoveManual(id, "changed their mind");
        var holds = new LegalHolds(store.Connection, store.Time);
        holds.Hold(id, "dispute");
        var access = new SubjectAccess(store.Connection, store.Time, NullLogger.Instance);
        access.Export(id, Path.Combine(store.Folder, "export.json"));
        holds.Release(id, "settled");
        access.Forget(id, "erasure request", dryRun: false);
        new RetentionRunner(store.Connection, store.Time, NullLogger.Instance).Run(store.Time.GetUtcNow(), new RetentionOptions(), dryRun: false);

        var entries = new AuditLog(store.Connection, store.Time).Since(null);
        Assert.That(
            entries.Select(e => e.Action),
            Is.EqualTo(new[] { "optout", "optin", "optout", "optin", "hold", "export", "release", "optout", "forget", "purge" }));
        Assert.That(entries.Take(2).Select(e => e.Details), Is.All.EqualTo("notice from the add-on"));
        Assert.That(entries.Where(e => e.Action != "purge").Select(e => e.ServerHash), Is.All.Length.EqualTo(64));
        Assert.That(entries.Select(e => e.OsUser), Is.All.EqualTo(Environment.UserName));
        Assert.That(entries.Select(e => e.Details ?? string.Empty), Has.None.Contains(Server));
    }
}
