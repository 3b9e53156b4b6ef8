using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Core.Alerts;
using Telemetry.Core.Configuration;
using Telemetry.Receiver.Service;
using Telemetry.Testing;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Integration;

/// <summary>The service raises flags after a pass and emails the founder once about the new ones.</summary>
[NonParallelizable]
public sealed class ServiceAlertTests
{
    /// <summary>A service on a local Maildir whose alerts go through the test relay to the alerts user.</summary>
    private static TelemetryOptions Alerting(DovecotServer dovecot, SmtpRelay relay, string database, string maildir) => new()
    {
        Database = database,
        Mailbox = new MailboxOptions { Kind = MailboxKind.Maildir, Path = maildir },
        Alerts = new AlertOptions
        {
            Enabled = true,
            From = "telemetry@test.local",
            To = [dovecot.AlertsUsername],
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = relay.Port, Security = SmtpSecurity.None, AllowInsecure = true },
        },
    };

    [Test]
    public void PassWithNewFlags_SendsOneDigest_AndTheNextPassSendsNothingNew()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "Maildir");
        Directory.CreateDirectory(Path.Combine(root, "new"));
        Directory.CreateDirectory(Path.Combine(root, "cur"));
        File.WriteAllBytes(Path.Combine(root, "new", "1"), TestMail.WithJson(TestMail.Json(
            "ALER-TSER-VICE-0001", "monthly", "2026-11-01T02:00:00Z", period: "2026-10-01/2026-10-31", extra: "\"errors\": {\"connectionFailures\": 30}")));
        var options = Alerting(dovecot, relay, dir.File("t.db"), root);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero));
        var mailbox = MailboxFactory.Create(options, time, NullLoggerFactory.Instance);

        ReceiverService.RunOnce(options, mailbox, time, NullLoggerFactory.Instance, CancellationToken.None);
        var alerts = dovecot.ReadAll("INBOX", dovecot.AlertsUsername);
        Assert.That(alerts, Has.Count.EqualTo(1));
        var text = System.Text.Encoding.UTF8.GetString(alerts[0]);
        Assert.That(text, Does.Contain("ALER-TSER-VICE-0001").And.Contain("connection-failures"));
        Assert.That(text, Does.Contain("Auto-Submitted: auto-generated"));

        time.Advance(TimeSpan.FromHours(2));
        ReceiverService.RunOnce(options, mailbox, time, NullLoggerFactory.Instance, CancellationToken.None);
        Assert.That(dovecot.ReadAll("INBOX", dovecot.AlertsUsername), Has.Count.EqualTo(1), "the flag is still open, not new: no second email");

        // The customer opts out: the alert email that names the instance leaves the database with its reports.
        using var connection = Core.Storage.TelemetryDatabase.Open(options.Database);
        new Core.Privacy.OptOutService(connection, time, NullLogger.Instance).AddManual(Core.Reports.ServerId.Parse("ALER-TSER-VICE-0001"), null);
        Assert.That(System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(options.Database)), Does.Not.Contain("ALER-TSER-VICE-0001"));
    }

    [Test]
    public void FlagRaisedByIngestOutsideTheService_IsEmailedAtTheNextPass()
    {
        using var dovecot = new DovecotServer();
        using var relay = new SmtpRelay(dovecot);
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "Maildir");
        Directory.CreateDirectory(Path.Combine(root, "new"));
        File.WriteAllBytes(dir.File("r.eml"), TestMail.WithJson(TestMail.Json("ALER-TCLI-0000-0001", "install", "2026-11-01T02:00:00Z", addonVersion: "3.1.0")));
        var output = new StringWriter();
        var exit = Telemetry.Receiver.Cli.TelemetryApp.Run(
            ["ingest", dir.File("r.eml"), "--db", dir.File("t.db")],
            new Telemetry.Receiver.Cli.CliContext { Out = output, Error = new StringWriter(), OutIsTerminal = false, ErrorIsTerminal = false });
        Assert.That(exit, Is.Zero);
        Assert.That(dovecot.Folders(dovecot.AlertsUsername).Contains("INBOX") ? dovecot.Count("INBOX", dovecot.AlertsUsername) : 0, Is.Zero, "ingest sends no email");

        var options = Alerting(dovecot, relay, dir.File("t.db"), root);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        ReceiverService.RunOnce(options, MailboxFactory.Create(options, time, NullLoggerFactory.Instance), time, NullLoggerFactory.Instance, CancellationToken.None);

        var alerts = dovecot.ReadAll("INBOX", dovecot.AlertsUsername);
        Assert.That(alerts, Has.Count.EqualTo(1));
        Assert.That(System.Text.Encoding.UTF8.GetString(alerts[0]), Does.Contain("ALER-TCLI-0000-0001").And.Contain("outdated-addon"));
    }
}
