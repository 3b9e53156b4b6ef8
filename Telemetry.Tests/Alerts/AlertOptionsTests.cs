using Telemetry.Core.Alerts;
using Telemetry.Core.Configuration;
using Telemetry.Receiver.Service;

namespace Telemetry.Tests.Alerts;

public sealed class AlertOptionsTests
{
    private static readonly string[] Enabled =
    [
        "Telemetry:Mailbox:Path=/srv/mail", "Telemetry:Mailbox:Imap:Username=reports@example.com",
        "Telemetry:Alerts:Enabled=true", "Telemetry:Alerts:From=telemetry@example.com", "Telemetry:Alerts:Smtp:Host=smtp.example.com",
    ];

    private static TelemetryOptions Bind(params string[] set) => ServiceConfiguration.Bind(ServiceConfiguration.Build(null, [.. Enabled, .. set]));

    private static string Error(params string[] set) => Assert.Throws<ConfigurationException>(() => Bind(set))!.Message;

    [Test]
    public void Enabled_WithRecipients_BindsTheList()
    {
        var o = Bind("Telemetry:Alerts:To:0=founder@example.com", "Telemetry:Alerts:To:1=ops@example.com");
        Assert.That(o.Alerts.To, Is.EqualTo(new[] { "founder@example.com", "ops@example.com" }));
        Assert.That(o.Alerts.Smtp.EffectivePort, Is.EqualTo(465));
        Assert.That(o.Alerts.MaxPerHour, Is.EqualTo(4));
    }

    [TestCase("reports@example.com")]
    [TestCase("Reports@Example.com")]
    [TestCase("reports+alerts@example.com")]
    public void ToTheReportsMailbox_IsRefused(string to) =>
        Assert.That(Error("Telemetry:Alerts:To:0=founder@example.com", $"Telemetry:Alerts:To:1={to}"), Does.Contain("Telemetry:Alerts:To:1 is the reports mailbox"));

    [Test]
    public void ToTheReportsGmailMailbox_WithDots_IsRefused()
    {
        var e = Assert.Throws<ConfigurationException>(() => ServiceConfiguration.Bind(ServiceConfiguration.Build(null, [
            "Telemetry:Mailbox:Path=/srv/mail", "Telemetry:Mailbox:Imap:Username=acme.reports@gmail.com", "Telemetry:Alerts:Enabled=true",
            "Telemetry:Alerts:From=telemetry@example.com", "Telemetry:Alerts:Smtp:Host=smtp.example.com", "Telemetry:Alerts:To:0=acmereports@googlemail.com"])));
        Assert.That(e!.Message, Does.Contain("Telemetry:Alerts:To:0 is the reports mailbox"));
    }

    [Test]
    public void Cleartext_WithoutAllowInsecure_IsRefused()
    {
        Assert.That(Error("Telemetry:Alerts:To:0=founder@example.com", "Telemetry:Alerts:Smtp:Security=None"), Does.Contain("Telemetry:Alerts:Smtp:AllowInsecure"));
        var allowed = Bind("Telemetry:Alerts:To:0=founder@example.com", "Telemetry:Alerts:Smtp:Security=None", "Telemetry:Alerts:Smtp:AllowInsecure=true");
        Assert.That(allowed.Alerts.Smtp.EffectivePort, Is.EqualTo(587));
    }

    [Test]
    public void Enabled_WithoutHostFromOrTo_NamesEachKey()
    {
        var e = Assert.Throws<ConfigurationException>(() => ServiceConfiguration.Bind(ServiceConfiguration.Build(null, ["Telemetry:Mailbox:Path=/srv/mail", "Telemetry:Alerts:Enabled=true"])));
        Assert.That(e!.Message, Does.Contain("Telemetry:Alerts:Smtp:Host").And.Contain("Telemetry:Alerts:From").And.Contain("Telemetry:Alerts:To"));
    }

    [TestCase("Telemetry:Alerts:To:0=not an address", "Telemetry:Alerts:To:0 must be one email address")]
    [TestCase("Telemetry:Alerts:To:0=Founder <founder@example.com>", "Telemetry:Alerts:To:0 must be one email address")]
    [TestCase("Telemetry:Alerts:Smtp:CertificateThumbprint=abcd", "Telemetry:Alerts:Smtp:CertificateThumbprint")]
    [TestCase("Telemetry:Alerts:MaxPerHour=0", "Telemetry:Alerts:MaxPerHour")]
    [TestCase("Telemetry:Alerts:Smtp:Username=u", "Telemetry:Alerts:Smtp:PasswordFile")]
    public void WrongValue_NamesItsKey(string setting, string expected) =>
        Assert.That(Error("Telemetry:Alerts:To:0=founder@example.com", setting), Does.Contain(expected));

    [Test]
    public void Disabled_NeedsNothing()
    {
        var o = ServiceConfiguration.Bind(ServiceConfiguration.Build(null, ["Telemetry:Mailbox:Path=/srv/mail"]));
        Assert.That(o.Alerts.Enabled, Is.False);
        Assert.That(o.Alerts.Smtp.Security, Is.EqualTo(SmtpSecurity.SslOnConnect));
    }
}
