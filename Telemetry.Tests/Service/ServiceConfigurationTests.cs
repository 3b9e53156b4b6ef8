using Telemetry.Core.Configuration;
using Telemetry.Receiver.Service;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Service;

public sealed class ServiceConfigurationTests
{
    private static TelemetryOptions Bind(params string[] set) => ServiceConfiguration.Bind(ServiceConfiguration.Build(null, set));

    [Test]
    public void UnknownKey_IsAnErrorNamingIt()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("Telemetry:Mailbox:Path=/x", "Telemetry:Mailbox:Imap:Hots=mail.example"));
        Assert.That(e!.Message, Does.Contain("Telemetry:Mailbox:Imap:Hots is not a known setting"));
    }

    [Test]
    public void WrongValue_IsAnErrorNamingTheValue()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("Telemetry:Mailbox:Path=/x", "Telemetry:Mailbox:Kind=Pop3"));
        Assert.That(e!.Message, Does.Contain("Pop3").And.Contain("Telemetry:Mailbox:Kind"));
        var retention = Assert.Throws<ConfigurationException>(() => Bind("Telemetry:Mailbox:Path=/x", "Telemetry:Retention:DataRetention=1000.00:00:00"));
        Assert.That(retention!.Message, Does.Contain("Telemetry:Retention:DataRetention"));
    }

    [Test]
    public void CleartextImap_WithoutAllowInsecure_IsRefused()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind(
            "Telemetry:Mailbox:Kind=Imap", "Telemetry:Mailbox:Imap:Host=127.0.0.1", "Telemetry:Mailbox:Imap:Username=u",
            "Telemetry:Mailbox:Imap:Password=p", "Telemetry:Mailbox:Imap:Security=None"));
        Assert.That(e!.Message, Does.Contain("Telemetry:Mailbox:Imap:AllowInsecure"));

        var allowed = Bind(
            "Telemetry:Mailbox:Kind=Imap", "Telemetry:Mailbox:Imap:Host=127.0.0.1", "Telemetry:Mailbox:Imap:Username=u",
            "Telemetry:Mailbox:Imap:Password=p", "Telemetry:Mailbox:Imap:Security=None", "Telemetry:Mailbox:Imap:AllowInsecure=true");
        Assert.That(allowed.Mailbox.Imap.EffectivePort, Is.EqualTo(143));
    }

    [Test]
    public void Defaults_AreTheDocumentedOnes()
    {
        var o = Bind("Telemetry:Mailbox:Path=/srv/mail");
        Assert.Multiple(() =>
        {
            Assert.That(o.Database, Is.EqualTo("telemetry.db"));
            Assert.That(o.Mailbox.Kind, Is.EqualTo(MailboxKind.Maildir));
            Assert.That(o.Mailbox.Imap.Security, Is.EqualTo(ImapSecurity.SslOnConnect));
            Assert.That(o.Mailbox.Imap.EffectivePort, Is.EqualTo(993));
            Assert.That(o.Mailbox.Imap.Folder, Is.EqualTo("INBOX"));
            Assert.That(o.Mailbox.Folders.Processed, Is.EqualTo("Telemetry/Processed"));
            Assert.That(o.Mailbox.Folders.Failed, Is.EqualTo("Telemetry/Failed"));
            Assert.That(o.Mailbox.KeepProcessedDays, Is.EqualTo(30));
            Assert.That(o.Mailbox.IdleRefresh, Is.EqualTo(TimeSpan.FromMinutes(9)));
            Assert.That(o.Retention.DataRetention, Is.EqualTo(TimeSpan.FromDays(730)));
        });
    }

    [Test]
    public void Sources_OverrideInOrder_FileThenEnvironmentThenCommandLine()
    {
        using var dir = new TempDirectory();
        var file = dir.File("settings.json");
        File.WriteAllText(file, """{ "Telemetry": { "Database": "from-file.db", "Mailbox": { "Path": "/from/file", "KeepProcessedDays": 7 } } }""");
        Environment.SetEnvironmentVariable("Telemetry__Mailbox__Path", "/from/env");
        try
        {
            var o = ServiceConfiguration.Bind(ServiceConfiguration.Build(file, ["Telemetry:Database=from-command-line.db"]));
            Assert.That(o.Database, Is.EqualTo("from-command-line.db"));
            Assert.That(o.Mailbox.Path, Is.EqualTo("/from/env"));
            Assert.That(o.Mailbox.KeepProcessedDays, Is.EqualTo(7));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Telemetry__Mailbox__Path", null);
        }
    }

    [Test]
    public void Password_ComesFromAPasswordFile_OrASystemdCredential()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pw"), "app-password-1\n");
        Assert.That(ServiceConfiguration.ImapPassword(new ImapOptions { PasswordFile = dir.File("pw") }), Is.EqualTo("app-password-1"));

        var credentials = Path.Combine(dir.Path, "credentials");
        Directory.CreateDirectory(credentials);
        File.WriteAllText(Path.Combine(credentials, "Telemetry__Mailbox__Imap__Password"), "from-systemd");
        Environment.SetEnvironmentVariable("CREDENTIALS_DIRECTORY", credentials);
        try
        {
            var o = Bind("Telemetry:Mailbox:Kind=Imap", "Telemetry:Mailbox:Imap:Host=h", "Telemetry:Mailbox:Imap:Username=u");
            Assert.That(ServiceConfiguration.ImapPassword(o.Mailbox.Imap), Is.EqualTo("from-systemd"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CREDENTIALS_DIRECTORY", null);
        }
    }

    [Test]
    public void ExampleSettings_BindWithoutError_AndStateTheDefaults()
    {
        var example = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "samples", "appsettings.example.json");
        var fromFile = ServiceConfiguration.Bind(ServiceConfiguration.Build(example, ["Telemetry:Mailbox:Path=/srv/mail"]));
        var defaults = Bind("Telemetry:Mailbox:Path=/srv/mail");
        Assert.That(System.Text.Json.JsonSerializer.Serialize(fromFile), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(defaults)));
    }

    [Test]
    public void MissingConfigFile_IsAnErrorNamingIt()
    {
        var e = Assert.Throws<ConfigurationException>(() => ServiceConfiguration.Build("/no/such/settings.json", []));
        Assert.That(e!.Message, Does.Contain("/no/such/settings.json"));
    }
}
