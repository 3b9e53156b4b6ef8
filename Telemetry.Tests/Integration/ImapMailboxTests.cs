using Dapper;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Configuration;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Service;
using Telemetry.Testing;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Integration;

/// <summary>The IMAP mailbox against a real Dovecot on loopback, over TLS with a pinned certificate.</summary>
[NonParallelizable]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "NUnit disposes the server in OneTimeTearDown.")]
public sealed class ImapMailboxTests
{
    private DovecotServer server = null!;

    [OneTimeSetUp]
    public void StartServer() => server = new DovecotServer();

    [OneTimeTearDown]
    public void StopServer() => server.Dispose();

    /// <summary>Each test reads its own folder and files into its own folders, so tests do not see each other's mail.</summary>
    private TelemetryOptions Options(string name, string? database = null) => new()
    {
        Database = database ?? Path.Combine(Path.GetTempPath(), $"telemetry-imap-{name}-{Guid.NewGuid():N}.db"),
        Mailbox = new MailboxOptions
        {
            Kind = MailboxKind.Imap,
            PollInterval = TimeSpan.FromMinutes(10),
            Imap = new ImapOptions
            {
                Host = server.Host,
                Port = server.ImapsPort,
                Security = ImapSecurity.SslOnConnect,
                CertificateThumbprint = server.CertificateSha256,
                Username = server.Username,
                Password = server.Password,
                Folder = name,
            },
            Folders = new MailboxFolders
            {
                Processed = $"{name}-out/Processed",
                Invalid = $"{name}-out/Invalid",
                Unsupported = $"{name}-out/Unsupported",
                Ignored = $"{name}-out/Ignored",
                Failed = $"{name}-out/Failed",
            },
        },
    };

    private static ImapMailbox Mailbox(TelemetryOptions o) =>
        (ImapMailbox)MailboxFactory.Create(o, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Messages in a folder named as configured ("X-out/Processed"; Dovecot's Maildir separates levels with '.').</summary>
    private int Folder(string name)
    {
        var actual = name.Replace('/', '.');
        return server.Folders().Contains(actual) ? server.Count(actual) : 0;
    }

    // Read ahead (as the service does), the next batches are fetched and parsed while the committed ones are filed,
    // on one connection: a backlog of several batches checks that fetches and filings take turns.
    [TestCase(false, 25, "E2E")]
    [TestCase(true, 200, "E2EAhead")]
    public void GeneratedMailbox_FromImap_GivesTheSameDataAsFromFiles_AndEachMessageLandsInOneFolder(bool readAhead, int instances, string name)
    {
        var corpus = new CorpusGenerator(new CorpusOptions { Instances = instances, Months = 6, Seed = 4, OptOutRate = 0.2 }).Generate();
        if (readAhead)
        {
            Assert.That(corpus.Messages, Has.Count.GreaterThan(2 * Ingestor.DefaultBatchSize), "several batches");
        }

        server.AppendMany(name, corpus.Messages.Select(m => m.Content));
        var options = Options(name);
        using var fromFiles = new TestStore();
        var fileSummary = fromFiles.Ingest(corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name)));

        using var mailbox = Mailbox(options);
        MailboxCycle cycle;
        using (var connection = Core.Storage.TelemetryDatabase.Open(options.Database))
        {
            Assert.That(mailbox.ReadsAheadWhileFiling, Is.True);
            var ingestor = new Ingestor(connection, new ReportExtractor(options.Limits), TimeProvider.System) { Prefetch = readAhead };
            var processor = new MailboxProcessor(ingestor, mailbox, TimeProvider.System, NullLogger.Instance);
            cycle = processor.RunOnce(options.Limits.MaxMessageBytes, null, CancellationToken.None);
            var asOf = new AsOf(new DateOnly(2026, 11, 15), AsOf.DefaultActiveWindow);
            Assert.That(new StatisticsQueries(connection).Summary(asOf), Is.EqualTo(new StatisticsQueries(fromFiles.Connection).Summary(asOf)));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM reports"), Is.EqualTo(fromFiles.Count("reports")));
        }

        Assert.That(cycle.Summary.Accepted, Is.EqualTo(fileSummary.Accepted));
        Assert.That(Folder(name), Is.Zero, "nothing left in the inbox");
        var filed = Folder($"{name}-out/Processed") + Folder($"{name}-out/Invalid") + Folder($"{name}-out/Unsupported") + Folder($"{name}-out/Ignored");
        var deleted = cycle.Filed.GetValueOrDefault(MailboxFolder.Delete);
        Assert.That(filed + deleted, Is.EqualTo(corpus.Messages.Count), "every message in exactly one place");
        Assert.That(Folder($"{name}-out/Processed"), Is.EqualTo(cycle.Filed[MailboxFolder.Processed]));
        Assert.That(Folder($"{name}-out/Ignored"), Is.EqualTo(cycle.Filed[MailboxFolder.Ignored]));
        Assert.That(deleted, Is.GreaterThan(0), "mail of opted-out instances is removed");
    }

    [Test]
    public void SecondPass_AndRedeliveredCopies_StoreNothingTwice()
    {
        var messages = Enumerable.Range(0, 20).Select(i => TestMail.WithJson(TestMail.Json($"IMAP-IDEM-0000-{i:0000}", "install", "2026-11-01T00:00:00Z"))).ToList();
        server.AppendMany("Idem", messages);
        var options = Options("Idem");
        using var mailbox = Mailbox(options);
        long Run()
        {
            using var connection = Core.Storage.TelemetryDatabase.Open(options.Database);
            new MailboxProcessor(new Ingestor(connection, new ReportExtractor(options.Limits), TimeProvider.System), mailbox, TimeProvider.System, NullLogger.Instance)
                .RunOnce(options.Limits.MaxMessageBytes, null, CancellationToken.None);
            return connection.ExecuteScalar<long>("SELECT count(*) FROM reports");
        }

        Assert.That(Run(), Is.EqualTo(20));
        server.AppendMany("Idem", messages.Take(5));
        Assert.That(Run(), Is.EqualTo(20), "copies delivered again are duplicates");
        Assert.That(Folder("Idem-out/Processed"), Is.EqualTo(25));
        Assert.That(Folder("Idem"), Is.Zero);
    }

    [Test]
    public void UidValidityChange_FilesNothingWithStaleKeys_AndTheRescanStoresNothingTwice()
    {
        var messages = Enumerable.Range(0, 5).Select(i => TestMail.WithJson(TestMail.Json($"IMAP-UIDV-0000-{i:0000}", "install", "2026-11-01T00:00:00Z"))).ToList();
        server.AppendMany("Uidv", messages);
        var options = Options("Uidv");
        using var mailbox = Mailbox(options);
        var stale = mailbox.Pending(options.Limits.MaxMessageBytes, CancellationToken.None).Select(m => m.Origin).ToList();

        // The folder is recreated: same messages, new UIDVALIDITY (Dovecot takes it from the clock, in seconds).
        Thread.Sleep(1100);
        using (var client = new MailKit.Net.Imap.ImapClient())
        {
            client.Connect(server.Host, server.ImapPort, SecureSocketOptions.None);
            client.Authenticate(server.Username, server.Password);
            client.GetFolder("Uidv").Delete();
            client.Disconnect(true);
        }

        server.AppendMany("Uidv", messages);
        mailbox.File([.. stale.Select(k => (k, MailboxFolder.Processed))], CancellationToken.None);
        Assert.That(Folder("Uidv"), Is.EqualTo(5), "keys of the old UIDVALIDITY name nothing now: nothing moved");

        using var connection = Core.Storage.TelemetryDatabase.Open(options.Database);
        var processor = new MailboxProcessor(new Ingestor(connection, new ReportExtractor(options.Limits), TimeProvider.System), mailbox, TimeProvider.System, NullLogger.Instance);
        processor.RunOnce(options.Limits.MaxMessageBytes, null, CancellationToken.None);
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM reports"), Is.EqualTo(5));
        Assert.That(Folder("Uidv-out/Processed"), Is.EqualTo(5));
    }

    [Test]
    public void WrongCertificate_IsRefused_AndSoIsASelfSignedOneWithoutPin()
    {
        server.Append("Tls", TestMail.WithJson(TestMail.Json("IMAP-TLS0-0000-0001", "install", "2026-11-01T00:00:00Z")));
        var pinnedWrong = Options("Tls");
        pinnedWrong.Mailbox.Imap.CertificateThumbprint = new string('A', 64);
        using (var mailbox = Mailbox(pinnedWrong))
        {
            Assert.Throws<SslHandshakeException>(() => mailbox.CountPending(CancellationToken.None));
        }

        var unpinned = Options("Tls");
        unpinned.Mailbox.Imap.CertificateThumbprint = null;
        using (var mailbox = Mailbox(unpinned))
        {
            Assert.Throws<SslHandshakeException>(() => mailbox.CountPending(CancellationToken.None));
        }

        using (var mailbox = Mailbox(Options("Tls")))
        {
            Assert.That(mailbox.CountPending(CancellationToken.None), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Service_NoticesNewMailWithIdle_AndSurvivesAServerRestart()
    {
        var options = Options("Idle");
        server.Append("Idle", TestMail.WithJson(TestMail.Json("IMAP-IDLE-0000-0001", "install", "2026-11-01T00:00:00Z")));
        using var mailbox = Mailbox(options);
        using var service = new ReceiverService(options, mailbox, TimeProvider.System, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntil(() => Folder("Idle-out/Processed") == 1, TimeSpan.FromSeconds(30));
            var appended = System.Diagnostics.Stopwatch.StartNew();
            server.Append("Idle", TestMail.WithJson(TestMail.Json("IMAP-IDLE-0000-0002", "install", "2026-11-01T00:00:00Z")));
            await WaitUntil(() => Folder("Idle-out/Processed") == 2, TimeSpan.FromSeconds(30));
            Assert.That(appended.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "IDLE, not the 10-minute safety net");

            server.Restart();
            server.Append("Idle", TestMail.WithJson(TestMail.Json("IMAP-IDLE-0000-0003", "install", "2026-11-01T00:00:00Z")));
            await WaitUntil(() => Folder("Idle-out/Processed") == 3, TimeSpan.FromSeconds(60));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        using var connection = Core.Storage.TelemetryDatabase.Open(options.Database);
        Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM reports"), Is.EqualTo(3));
    }

    [Test]
    public void WrongPassword_RunOnce_ExitsWithOneLine_AndTheFailureReachesStatus()
    {
        var options = Options("Auth");
        var error = new StringWriter();
        var exit = Telemetry.Receiver.Cli.TelemetryApp.Run(
            [
                "run", "--once", "--db", options.Database,
                "--set", "Telemetry:Mailbox:Kind=Imap", "--set", $"Telemetry:Mailbox:Imap:Host={server.Host}",
                "--set", $"Telemetry:Mailbox:Imap:Port={server.ImapsPort}", "--set", $"Telemetry:Mailbox:Imap:CertificateThumbprint={server.CertificateSha256}",
                "--set", $"Telemetry:Mailbox:Imap:Username={server.Username}", "--set", "Telemetry:Mailbox:Imap:Password=wrong",
            ],
            new Telemetry.Receiver.Cli.CliContext { Out = new StringWriter(), Error = error, OutIsTerminal = false, ErrorIsTerminal = false });

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("error: the mailbox:"));
        Assert.That(error.ToString(), Does.Not.Contain("wrong"), "the password never appears");
        using var connection = Core.Storage.TelemetryDatabase.Open(options.Database);
        var status = new Core.Storage.ServiceStatusStore(connection).Read(DateTimeOffset.UtcNow);
        Assert.That(status.LastError, Does.Contain("Authentication"));
    }

    [Test]
    public void EmptyMailbox_WithNoFilingFoldersYet_PassesWithoutError()
    {
        var options = Options("Fresh");
        server.Append("Fresh", TestMail.Build(new MimeKit.TextPart("plain") { Text = "hello" }));
        using var mailbox = Mailbox(options);
        Assert.That(mailbox.DeleteProcessedBefore(DateTimeOffset.UtcNow, CancellationToken.None), Is.Zero);
    }

    [Test]
    public void DryRun_OverImap_WritesNothing()
    {
        server.AppendMany("Dry", Enumerable.Range(0, 3).Select(i => TestMail.WithJson(TestMail.Json($"IMAP-DRY0-0000-{i:0000}", "install", "2026-11-01T00:00:00Z"))));
        var options = Options("Dry");
        var output = new StringWriter();
        var exit = Telemetry.Receiver.Cli.TelemetryApp.Run(
            [
                "run", "--dry-run", "--format", "csv", "--db", options.Database,
                "--set", "Telemetry:Mailbox:Kind=Imap", "--set", $"Telemetry:Mailbox:Imap:Host={server.Host}",
                "--set", $"Telemetry:Mailbox:Imap:Port={server.ImapsPort}", "--set", $"Telemetry:Mailbox:Imap:CertificateThumbprint={server.CertificateSha256}",
                "--set", $"Telemetry:Mailbox:Imap:Username={server.Username}", "--set", $"Telemetry:Mailbox:Imap:Password={server.Password}",
                "--set", "Telemetry:Mailbox:Imap:Folder=Dry",
            ],
            new Telemetry.Receiver.Cli.CliContext { Out = output, Error = new StringWriter(), OutIsTerminal = false, ErrorIsTerminal = false });

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString().Split('\n').Count(l => l.Contains(",accepted,", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(Folder("Dry"), Is.EqualTo(3));
        Assert.That(server.Folders(), Has.None.StartsWith("Telemetry"));
        Assert.That(File.Exists(options.Database), Is.False);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(200);
        }
    }
}
