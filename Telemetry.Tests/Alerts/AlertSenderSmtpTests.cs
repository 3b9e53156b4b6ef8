using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using MimeKit;
using Telemetry.Core.Alerts;
using Telemetry.Core.Storage;
using Telemetry.Testing;
using Telemetry.Tests.TestSupport;
using static Telemetry.Tests.Alerts.AlertFlags;

namespace Telemetry.Tests.Alerts;

/// <summary>The sender against a real SMTP server (aiosmtpd relaying into Dovecot), alerts read back over IMAP.</summary>
public sealed partial class AlertSenderSmtpTests
{
    private static AlertOptions Options(int port, int maxPerHour = AlertOptions.DefaultMaxPerHour) => new()
    {
        Enabled = true,
        From = "telemetry@test.local",
        To = [DovecotServer.AlertsUser],
        MaxPerHour = maxPerHour,
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, AllowInsecure = true },
    };

    private static List<MimeMessage> Alerts(DovecotServer dovecot) =>
        [.. dovecot.ReadAll("INBOX", dovecot.AlertsUsername).Select(b => MimeMessage.Load(new MemoryStream(b)))];

    private static long[] FlagIdsIn(MimeMessage message) =>
        [.. FlagLine().Matches(message.TextBody ?? string.Empty).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"^  Flag (\d+): ", RegexOptions.Multiline)]
    private static partial Regex FlagLine();

    [Test]
    public void Digest_ReadBackOverImap_HasTheCountBothPartsAndAutoSubmitted()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var store = new TestStore();
        Enqueue(store, Flag(1, "AAAA-1111"), Flag(2, "BBBB-2222", "silent", "last report 2026-09-20 (56 days)"), Flag(3, "CCCC-3333", "license-expiring", "expires 2026-12-01 (16 days)"));

        var result = new AlertSender(Options(relay.Port), store.Time).SendPending(store.Connection);

        Assert.That((result.Sent, result.Failed, result.Waiting), Is.EqualTo((1, 0, 0L)), result.LastError + relay.Output);
        var alert = Alerts(dovecot).Single();
        Assert.Multiple(() =>
        {
            Assert.That(alert.Subject, Is.EqualTo("[telemetry] 3 instances need attention"));
            Assert.That(alert.Headers[HeaderId.AutoSubmitted], Is.EqualTo("auto-generated"));
            Assert.That(alert.From.Mailboxes.Single().Address, Is.EqualTo("telemetry@test.local"));
            Assert.That(alert.MessageId, Does.Match(@"^telemetry-alert-\d+-\d{17}@test\.local$"));
            Assert.That(alert.Body!.ContentType.MimeType, Is.EqualTo("multipart/alternative"));
            Assert.That(alert.TextBody!, Does.Contain("Warning: connection-failures, Server ID AAAA-1111").And.Contain("connectionFailures 12 (threshold 10)")
                .And.Contain("last report 2026-09-20 (56 days)").And.Contain(AlertAdvice.Defaults["license-expiring"]).And.Contain("First seen: 2026-11-15 11:00 UTC"));
            Assert.That(alert.HtmlBody, Does.Contain("<td>BBBB-2222</td><td>silent</td>").And.Contain("<td>expires 2026-12-01 (16 days)</td>"));
            Assert.That(FlagIdsIn(alert), Is.EquivalentTo(new long[] { 1, 2, 3 }));
        });
        Assert.That(store.Connection.ExecuteScalar<string>("SELECT status FROM alert_outbox"), Is.EqualTo("sent"));
    }

    [Test]
    public void ReportValues_WithCrLfAndEncodedWords_NeverReachAHeader()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var store = new TestStore();
        const string evilId = "EVIL-1\r\nBcc: victim@evil.example\r\nSubject: =?utf-8?b?SGFja2Vk?=";
        const string evilFigures = "=?utf-8?b?QmNjOiB2aWN0aW1AZXZpbC5leGFtcGxl?=\r\n\r\nX-Injected: yes\nReply-To: =?utf-8?q?thief=40evil=2Eexample?=";
        Enqueue(store, Flag(1, evilId, "usage-drop", evilFigures));

        var result = new AlertSender(Options(relay.Port), store.Time).SendPending(store.Connection);

        Assert.That(result.Sent, Is.EqualTo(1), result.LastError + relay.Output);
        var raw = dovecot.ReadAll("INBOX", dovecot.AlertsUsername).Single();
        var text = Encoding.UTF8.GetString(raw);
        var headerBlock = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        using var alert = MimeMessage.Load(new MemoryStream(raw));
        Assert.Multiple(() =>
        {
            foreach (var marker in new[] { "evil", "EVIL", "SGFja2Vk", "QmNj", "Injected", "thief", "Hacked" })
            {
                Assert.That(headerBlock, Does.Not.Contain(marker), "raw headers");
                Assert.That(alert.Headers.Select(h => h.Value), Has.None.Contains(marker), "decoded headers");
            }

            Assert.That(alert.Subject, Is.EqualTo("[telemetry] 1 instance needs attention"));
            Assert.That(alert.Bcc, Is.Empty);
            Assert.That(alert.ReplyTo, Is.Empty);
            Assert.That(alert.Headers.Contains("X-Injected"), Is.False);
            Assert.That(alert.To.Mailboxes.Select(m => m.Address), Is.EqualTo(new[] { DovecotServer.AlertsUser }));
            // The values are in the body, on one line, as written (encoded words are not decoded in a body).
            Assert.That(alert.TextBody, Does.Contain("Server ID EVIL-1  Bcc: victim@evil.example  Subject: =?utf-8?b?SGFja2Vk?="));
            Assert.That(alert.TextBody!.Split('\n'), Has.None.StartsWith("Bcc:").And.None.StartsWith("X-Injected"));
            Assert.That(alert.HtmlBody, Does.Contain("EVIL-1  Bcc: victim@evil.example"));
        });
    }

    [Test]
    public void SmtpDown_DigestsWaitWithTheError_ThenGoOutExactlyOnce()
    {
        using var dovecot = new DovecotServer();
        using var store = new TestStore();
        Enqueue(store, Flag(1, "AAAA-1"));
        Enqueue(store, Flag(2, "BBBB-2"), Flag(3, "CCCC-3"));
        var closed = ClosedPort();

        var disabled = Options(closed);
        disabled.Enabled = false;
        Assert.That(new AlertSender(disabled, store.Time).SendPending(store.Connection), Is.EqualTo(new AlertSendResult(0, 0, 0, 2, null)), "disabled: nothing tried");

        var down = new AlertSender(Options(closed), store.Time).SendPending(store.Connection);

        Assert.That((down.Sent, down.Failed, down.Merged, down.Waiting), Is.EqualTo((0, 1, 1, 1L)), "the two waiting digests were merged into one email, which failed");
        Assert.That(down.LastError, Is.Not.Null);
        var row = store.Connection.QuerySingle<(string Status, long Attempts, string? LastError)>("SELECT status, attempts, last_error FROM alert_outbox");
        Assert.That((row.Status, row.Attempts), Is.EqualTo(("pending", 1L)));
        Assert.That(row.LastError, Does.Contain("refused").IgnoreCase.Or.Contain("Socket"));

        store.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(new AlertSender(Options(closed), store.Time).SendPending(store.Connection).Failed, Is.Zero, "no retry before the back-off");

        using var relay = new SmtpRelay(dovecot);
        var sender = new AlertSender(Options(relay.Port), store.Time);
        store.Time.Advance(TimeSpan.FromSeconds(31));
        var back = sender.SendPending(store.Connection);
        Assert.That((back.Sent, back.Waiting), Is.EqualTo((1, 0L)), back.LastError + relay.Output);
        store.Time.Advance(TimeSpan.FromHours(3));
        Assert.That(sender.SendPending(store.Connection).Sent, Is.Zero);
        Assert.That(new AlertSender(Options(relay.Port), store.Time).SendPending(store.Connection).Sent, Is.Zero);

        var alert = Alerts(dovecot).Single();
        Assert.That(FlagIdsIn(alert), Is.EquivalentTo(new long[] { 1, 2, 3 }));
        Assert.That(alert.Subject, Is.EqualTo("[telemetry] 3 instances need attention"));
    }

    [Test]
    public void RestartBetweenCommitAndSend_SendsOnce()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var store = new TestStore();
        Enqueue(store, Flag(1, "AAAA-1"));
        store.Connection.Close();

        // A new process: another connection and another sender on the same database file.
        for (var run = 0; run < 3; run++)
        {
            using var connection = TelemetryDatabase.Open(store.DatabasePath, create: false);
            new AlertSender(Options(relay.Port), store.Time).SendPending(connection);
        }

        Assert.That(Alerts(dovecot), Has.Count.EqualTo(1), relay.Output);
    }

    [Test]
    public void CrashAfterTheServerAccepted_ResendsAlone_WithTheSameMessageId()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var store = new TestStore();
        var first = Enqueue(store, Flag(1, "AAAA-1"));
        var sender = new AlertSender(Options(relay.Port), store.Time);
        Assert.That(sender.SendPending(store.Connection).Sent, Is.EqualTo(1));
        // The process died after the server's 250 and before 'sent' was committed: the row is as MarkInFlight left it.
        store.Connection.Execute("UPDATE alert_outbox SET status = 'pending', sent_at = NULL, in_flight = 1 WHERE id = @first", new { first });
        Enqueue(store, Flag(2, "BBBB-2"));

        store.Time.Advance(TimeSpan.FromMinutes(2));
        var result = new AlertSender(Options(relay.Port), store.Time).SendPending(store.Connection);

        Assert.That((result.Sent, result.Merged), Is.EqualTo((2, 0)), "the interrupted digest is not merged with the new one");
        var alerts = Alerts(dovecot);
        Assert.That(alerts, Has.Count.EqualTo(3));
        Assert.That(alerts[1].MessageId, Is.EqualTo(alerts[0].MessageId), "the copy is recognisable");
        Assert.That(FlagIdsIn(alerts[1]), Is.EqualTo(new long[] { 1 }));
        Assert.That(FlagIdsIn(alerts[2]), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void FloodOf1000Flags_AtMostMaxPerHourEmails_AllFlagsListedEventually()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var store = new TestStore();
        for (var d = 0; d < 100; d++)
        {
            Enqueue(store, [.. Enumerable.Range(1, 10).Select(i => Flag((d * 10) + i, $"SRV-{d:D3}-{i:D2}"))]);
        }

        const int max = 2;
        var sender = new AlertSender(Options(relay.Port, max), store.Time);
        var start = store.Time.GetUtcNow();
        var sentAt = new List<DateTimeOffset>();
        for (var minute = 0; minute <= 180 && AlertOutbox.Status(store.Connection).Pending > 0; minute += 5)
        {
            var result = sender.SendPending(store.Connection);
            Assert.That(result.Failed, Is.Zero, result.LastError + relay.Output);
            sentAt.AddRange(Enumerable.Repeat(store.Time.GetUtcNow(), result.Sent));
            if (minute == 0)
            {
                // A few new flags arrive while the rest wait: they join the queue, nothing is lost.
                Enqueue(store, Flag(1001, "SRV-LATE"));
            }

            store.Time.Advance(TimeSpan.FromMinutes(5));
        }

        var alerts = Alerts(dovecot);
        Assert.That(alerts, Has.Count.EqualTo(sentAt.Count));
        Assert.That(alerts, Has.Count.EqualTo(5), "1,001 flags in emails of at most 250");
        foreach (var at in sentAt)
        {
            Assert.That(sentAt.Count(s => s >= at && s < at + TimeSpan.FromHours(1)), Is.LessThanOrEqualTo(max), $"emails in the hour from {at:t}");
        }

        Assert.That(sentAt.Max() - start, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(2)), "the rate limit made the last ones wait");
        var listed = alerts.SelectMany(FlagIdsIn).ToList();
        Assert.That(listed, Is.EquivalentTo(Enumerable.Range(1, 1001).Select(i => (long)i)), "every flag exactly once");
        Assert.That(alerts.Select(a => a.MessageId).Distinct().Count(), Is.EqualTo(alerts.Count));
    }
}
