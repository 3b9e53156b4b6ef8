using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Mailbox;

/// <summary>The mailbox is data too: filing after commit, opted-out mail deleted, processed mail expiring.</summary>
public sealed class FileMailboxTests
{
    private const string Server = "MAIL-BOXT-EST0-0001";

    private static readonly byte[] Accepted = TestMail.WithJson(TestMail.Json("MAIL-BOXT-EST0-0002", "install", "2026-10-01T00:00:00Z"));
    private static readonly byte[] OptOut = TestMail.WithJson(TestMail.Json(Server, "optout", "2026-10-15T00:00:00Z"));
    private static readonly byte[] Dropped = TestMail.WithJson(TestMail.Json(Server, "install", "2026-10-01T00:00:00Z"));
    private static readonly byte[] Invalid = TestMail.WithJson("{\"format\": \"playsql-report\", \"formatVersion\": \"two\"}");
    private static readonly byte[] Human = TestMail.Build(new MimeKit.TextPart("plain") { Text = "Hello" }, "Question");

    private static string Maildir(TempDirectory dir)
    {
        var root = Path.Combine(dir.Path, "Maildir");
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        var i = 0;
        foreach (var m in new[] { Accepted, OptOut, Dropped, Invalid, Human })
        {
            File.WriteAllBytes(Path.Combine(root, "new", $"17000000{i++}.M1P1.host"), m);
        }

        return root;
    }

    private static int Count(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;

    [Test]
    public void Maildir_FilesEachMessageByOutcome_AndDeletesOptedOutMail()
    {
        using var dir = new TempDirectory();
        using var store = new TestStore();
        var root = Maildir(dir);

        var cycle = new MailboxProcessor(store.Ingestor, new MaildirMailbox(root, new MailboxFolders(), store.Time), store.Time, NullLogger.Instance)
            .RunOnce(ExtractionLimits.DefaultMaxMessageBytes, TimeSpan.FromDays(30), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(Count(Path.Combine(root, "new")), Is.Zero);
            Assert.That(Count(Path.Combine(root, ".Telemetry.Processed", "cur")), Is.EqualTo(2), "the accepted report and the opt-out notice");
            Assert.That(Count(Path.Combine(root, ".Telemetry.Invalid", "cur")), Is.EqualTo(1));
            Assert.That(Count(Path.Combine(root, ".Telemetry.Ignored", "cur")), Is.EqualTo(1));
            Assert.That(cycle.Filed[MailboxFolder.Delete], Is.EqualTo(1), "the report of the opted-out instance is gone from the mailbox");
            Assert.That(Directory.GetFiles(Path.Combine(root, ".Telemetry.Processed", "cur")), Has.All.EndsWith(":2,S"));
        });
    }

    [Test]
    public void Maildir_SecondPass_FindsNothing_AndARedeliveredOptedOutMessageIsDeletedAgain()
    {
        using var dir = new TempDirectory();
        using var store = new TestStore();
        var root = Maildir(dir);
        var processor = new MailboxProcessor(store.Ingestor, new MaildirMailbox(root, new MailboxFolders(), store.Time), store.Time, NullLogger.Instance);
        processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None);
        Assert.That(processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None).Summary.Messages, Is.Zero);

        File.WriteAllBytes(Path.Combine(root, "new", "again"), Dropped);
        var again = processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None);
        Assert.That(again.Filed[MailboxFolder.Delete], Is.EqualTo(1));
        Assert.That(File.Exists(Path.Combine(root, "new", "again")), Is.False);
        Assert.That(Count(Path.Combine(root, ".Telemetry.Processed", "cur")), Is.EqualTo(2));
    }

    [Test]
    public void ProcessedMail_IsDeletedAfterTheKeepingTime_NotBefore()
    {
        using var dir = new TempDirectory();
        using var store = new TestStore();
        var root = Maildir(dir);
        var processor = new MailboxProcessor(store.Ingestor, new MaildirMailbox(root, new MailboxFolders(), store.Time), store.Time, NullLogger.Instance);
        processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, TimeSpan.FromDays(30), CancellationToken.None);

        store.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.That(processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, TimeSpan.FromDays(30), CancellationToken.None).ExpiredProcessed, Is.Zero);
        store.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.That(processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, TimeSpan.FromDays(30), CancellationToken.None).ExpiredProcessed, Is.EqualTo(2));
        Assert.That(Count(Path.Combine(root, ".Telemetry.Invalid", "cur")), Is.EqualTo(1), "set-aside mail is left for a person");
        Assert.That(store.Count("reports"), Is.EqualTo(1), "the database keeps what is needed");
    }

    [Test]
    public void Folder_WithMove_FilesIntoTelemetrySubfolders()
    {
        using var dir = new TempDirectory();
        using var store = new TestStore();
        File.WriteAllBytes(dir.File("a.eml"), Accepted);
        File.WriteAllBytes(dir.File("b.eml"), Invalid);
        var processor = new MailboxProcessor(store.Ingestor, new DirectoryMailbox(dir.Path, new MailboxFolders(), store.Time), store.Time, NullLogger.Instance);

        processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None);

        Assert.That(File.Exists(Path.Combine(dir.Path, "Telemetry", "Processed", "a.eml")), Is.True);
        Assert.That(File.Exists(Path.Combine(dir.Path, "Telemetry", "Invalid", "b.eml")), Is.True);
        Assert.That(processor.RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None).Summary.Messages, Is.Zero, "filed messages are not read again");
    }

    [Test]
    public void IngestWithoutMove_NeverChangesTheFiles()
    {
        using var dir = new TempDirectory();
        var root = Maildir(dir);
        string Listing() => string.Join('\n', Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order()
            .Select(f => f + " " + File.GetLastWriteTimeUtc(f).Ticks));
        var before = Listing();

        var exit = Telemetry.Receiver.Cli.TelemetryApp.Run(
            ["ingest", root, "--db", dir.File("t.db")],
            new Telemetry.Receiver.Cli.CliContext { Out = new StringWriter(), Error = new StringWriter(), OutIsTerminal = false, ErrorIsTerminal = false });

        Assert.That(exit, Is.Zero);
        Assert.That(Listing(), Is.EqualTo(before));
    }
}
