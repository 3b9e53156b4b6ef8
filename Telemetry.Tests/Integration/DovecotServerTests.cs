using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

using Telemetry.Testing;

namespace Telemetry.Tests.Integration;

/// <summary>The test Dovecot and SMTP relay work as the mailbox tests will expect.</summary>
public sealed class DovecotServerTests : IDisposable
{
    private DovecotServer server = null!;
    private bool disposed;

    [OneTimeSetUp]
    public void StartServer()
    {
        DovecotServer.Require();
        var stopwatch = Stopwatch.StartNew();
        server = new DovecotServer();
        TestContext.Progress.WriteLine($"Dovecot {server.InstanceName} started in {stopwatch.ElapsedMilliseconds} ms (IMAP {server.ImapPort}, IMAPS {server.ImapsPort}, LMTP {server.LmtpPort})");
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        if (disposed || server is null)
        {
            return;
        }

        disposed = true;
        var stopwatch = Stopwatch.StartNew();
        server.Dispose();
        TestContext.Progress.WriteLine($"Dovecot stopped and removed in {stopwatch.ElapsedMilliseconds} ms");
    }

    [Test]
    public void AppendMany_ThreeMessages_ReadBackIdenticallyOverPinnedTls()
    {
        var sent = Enumerable.Range(1, 3).Select(i => Message($"pinned {i}")).ToList();

        var uids = server.AppendMany("Pinned", sent);

        Assert.That(uids, Has.Count.EqualTo(3));
        using var client = new ImapClient { ServerCertificateValidationCallback = PinnedTo(server.CertificateSha256) };
        client.Connect(server.Host, server.ImapsPort, SecureSocketOptions.SslOnConnect);
        client.Authenticate(server.Username, server.Password);
        var folder = (ImapFolder)client.GetFolder("Pinned");
        folder.Open(FolderAccess.ReadOnly);
        var received = new SortedDictionary<uint, byte[]>();
        folder.GetStreams(folder.Search(SearchQuery.All), (_, _, uid, stream) => received[uid.Id] = ReadToEnd(stream));

        Assert.That(client.IsSecure, Is.True);
        Assert.That(received.Keys, Is.EqualTo(uids.Select(u => u.Id)));
        Assert.That(received.Values, Is.EqualTo(sent));
        Assert.That(server.ReadAll("Pinned"), Is.EqualTo(sent));
        client.Disconnect(true);
    }

    [Test]
    public void ImapsPort_CertificateWithOtherThumbprint_IsRefused()
    {
        var otherThumbprint = Convert.ToHexString(SHA256.HashData("another certificate"u8));
        using var client = new ImapClient { ServerCertificateValidationCallback = PinnedTo(otherThumbprint) };

        Assert.Throws<SslHandshakeException>(() => client.Connect(server.Host, server.ImapsPort, SecureSocketOptions.SslOnConnect));
    }

    [Test]
    public void Capabilities_AfterLogin_IncludeMoveUidPlusAndIdle()
    {
        using var client = new ImapClient();
        client.Connect(server.Host, server.ImapPort, SecureSocketOptions.None);
        client.Authenticate(server.Username, server.Password);

        const ImapCapabilities required = ImapCapabilities.Move | ImapCapabilities.UidPlus | ImapCapabilities.Idle;
        Assert.That(client.Capabilities & required, Is.EqualTo(required));
        client.Disconnect(true);
    }

    [Test]
    public void AppendMany_NewFolder_IsCreatedListedAndCounted()
    {
        server.AppendMany("Created", [Message("a"), Message("b")]);

        Assert.That(server.Folders(), Does.Contain("Created").And.Contain("INBOX"));
        Assert.That(server.Count("Created"), Is.EqualTo(2));
        Assert.That(server.Folders(server.AlertsUsername), Does.Not.Contain("Created"));
    }

    [Test]
    public void Restart_KeepsPortsAndMail()
    {
        var sent = new[] { Message("before restart 1"), Message("before restart 2") };
        server.AppendMany("Restart", sent);
        var ports = (server.ImapPort, server.ImapsPort, server.LmtpPort);

        var stopwatch = Stopwatch.StartNew();
        server.Restart();
        TestContext.Progress.WriteLine($"Dovecot restarted in {stopwatch.ElapsedMilliseconds} ms");

        Assert.That((server.ImapPort, server.ImapsPort, server.LmtpPort), Is.EqualTo(ports));
        Assert.That(server.Count("Restart"), Is.EqualTo(2));
        Assert.That(server.ReadAll("Restart"), Is.EqualTo(sent));
    }

    [Test]
    public void MailStore_Maildir_StoresOneFilePerMessageUnderTheUsersHome()
    {
        server.Append("INBOX", Message("maildir"));

        var maildir = Path.Combine(server.MailDirectory, server.Username, "Maildir");
        Assert.That(Directory.GetFiles(Path.Combine(maildir, "cur")).Length + Directory.GetFiles(Path.Combine(maildir, "new")).Length, Is.EqualTo(server.Count("INBOX")));
    }

    [Test]
    public void MailStore_Mdbox_StoresMailInMdboxFilesAndReadsItBack()
    {
        using var mdbox = new DovecotServer(DovecotMailStore.Mdbox);
        var sent = new[] { Message("mdbox 1"), Message("mdbox 2") };

        mdbox.AppendMany("INBOX", sent);

        Assert.That(mdbox.ReadAll("INBOX"), Is.EqualTo(sent));
        Assert.That(Directory.GetFiles(Path.Combine(mdbox.MailDirectory, mdbox.Username, "mdbox"), "m.*", SearchOption.AllDirectories), Is.Not.Empty);
        Assert.That(Directory.Exists(Path.Combine(mdbox.MailDirectory, mdbox.Username, "Maildir")), Is.False);
    }

    [Test]
    public void SmtpRelay_MessageToAlerts_IsReadableOverImapAsAlerts()
    {
        using var relay = new SmtpRelay(server);
        var subject = "alert " + Guid.NewGuid().ToString("N");
        using var alert = new MimeMessage();
        alert.From.Add(MailboxAddress.Parse("telemetry@test.local"));
        alert.To.Add(MailboxAddress.Parse(server.AlertsUsername));
        alert.Subject = subject;
        alert.Body = new TextPart("plain") { Text = "Two servers stopped reporting." };

        using (var smtp = new SmtpClient())
        {
            smtp.Connect(relay.Host, relay.Port, SecureSocketOptions.None);
            smtp.Send(alert);
            smtp.Disconnect(true);
        }

        Assert.That(Subjects("INBOX", server.AlertsUsername), Is.EqualTo(new[] { subject }), relay.Output);
        Assert.That(Subjects("INBOX", server.Username), Does.Not.Contain(subject));
    }

    private List<string> Subjects(string folder, string user) => [.. server.ReadAll(folder, user).Select(Subject)];

    private static string Subject(byte[] bytes)
    {
        using var message = MimeMessage.Load(new MemoryStream(bytes));
        return message.Subject ?? string.Empty;
    }

    /// <summary>A message with CRLF line endings, the form IMAP servers store and return.</summary>
    private static byte[] Message(string text)
    {
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("confluence@customer.example"));
        message.To.Add(MailboxAddress.Parse(DovecotServer.ReportsUser));
        message.Subject = text;
        message.MessageId = Guid.NewGuid().ToString("N") + "@customer.example";
        message.Date = new DateTimeOffset(2026, 11, 1, 1, 5, 0, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = text + "\nsecond line" };
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    private static RemoteCertificateValidationCallback PinnedTo(string sha256) =>
        (_, certificate, _, _) => certificate is not null
            && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), sha256, StringComparison.OrdinalIgnoreCase);

    private static byte[] ReadToEnd(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
