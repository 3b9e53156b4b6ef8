using System.Text.Json;
using Dapper;
using Telemetry.Core.Alerts;
using Telemetry.Tests.TestSupport;
using static Telemetry.Tests.Alerts.AlertFlags;

namespace Telemetry.Tests.Alerts;

public sealed class AlertOutboxTests
{
    [Test]
    public void Enqueue_WritesOneDigestInTheCallersTransaction()
    {
        using var store = new TestStore();
        var id = Enqueue(store, Flag(7, "AAAA-1"), Flag(8, "BBBB-2", "silent"), Flag(9, "BBBB-2", "unused"));

        var row = store.Connection.QuerySingle<(string Subject, string FlagIds, string Status, long Attempts)>("SELECT subject, flag_ids, status, attempts FROM alert_outbox WHERE id = @id", new { id });
        Assert.That(row.Subject, Is.EqualTo("[telemetry] 2 instances need attention"));
        Assert.That(JsonSerializer.Deserialize<long[]>(row.FlagIds), Is.EqualTo(new long[] { 7, 8, 9 }));
        Assert.That((row.Status, row.Attempts), Is.EqualTo(("pending", 0L)));
        Assert.That(store.Count("alert_outbox"), Is.EqualTo(1));
    }

    [Test]
    public void Enqueue_RolledBackWithTheFlags_LeavesNothing()
    {
        using var store = new TestStore();
        using (var transaction = store.Connection.BeginTransaction())
        {
            Assert.That(new AlertOutbox(store.Time).Enqueue([Flag(1, "AAAA-1")], store.Connection, transaction), Is.Not.Null);
            transaction.Rollback();
        }

        Assert.That(store.Count("alert_outbox"), Is.Zero);
    }

    [Test]
    public void Enqueue_NoFlags_WritesNothing()
    {
        using var store = new TestStore();
        using var transaction = store.Connection.BeginTransaction();
        Assert.That(new AlertOutbox(store.Time).Enqueue([], store.Connection, transaction), Is.Null);
        transaction.Commit();
        Assert.That(store.Count("alert_outbox"), Is.Zero);
    }

    [Test]
    public void Enqueue_UsesTheCallersAdvice()
    {
        using var store = new TestStore();
        using var transaction = store.Connection.BeginTransaction();
        var id = new AlertOutbox(store.Time, AlertAdvice.With(new Dictionary<string, string> { ["silent"] = "Phone the admin." })).Enqueue([Flag(1, "AAAA-1", "silent")], store.Connection, transaction);
        transaction.Commit();
        Assert.That(store.Connection.ExecuteScalar<string>("SELECT text_body FROM alert_outbox WHERE id = @id", new { id }), Does.Contain("What to do: Phone the admin."));
    }

    [Test]
    public void Status_ShowsPendingAndFailedDigests()
    {
        using var store = new TestStore();
        Enqueue(store, Flag(1, "AAAA-1"));
        var failed = Enqueue(store, Flag(2, "BBBB-2"), Flag(3, "BBBB-2"));
        store.Connection.Execute("UPDATE alert_outbox SET status = 'failed', attempts = 10, last_error = 'SocketException: refused' WHERE id = @failed", new { failed });

        var status = AlertOutbox.Status(store.Connection);
        Assert.That(status.Pending, Is.EqualTo(1));
        Assert.That(status.Failed.Single(), Is.EqualTo(new FailedDigest(failed, store.Time.GetUtcNow(), 2, 10, "SocketException: refused")));
        Assert.That(AlertOutbox.RetryFailed(store.Connection), Is.EqualTo(1));
        Assert.That(AlertOutbox.Status(store.Connection).Pending, Is.EqualTo(2));
    }

    [Test]
    public void Backoff_DoublesFromAMinute_UpToTwoHours()
    {
        Assert.That(AlertSender.Backoff(1), Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(AlertSender.Backoff(3), Is.EqualTo(TimeSpan.FromMinutes(4)));
        Assert.That(AlertSender.Backoff(9), Is.EqualTo(TimeSpan.FromHours(2)));
    }
}
