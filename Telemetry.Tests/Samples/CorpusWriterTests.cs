using System.Text;

using MimeKit;

using NUnit.Framework;

using Telemetry.Core.Samples;

namespace Telemetry.Tests.Samples;

public sealed class CorpusWriterTests
{
    private static readonly string[] EscapedLines = [">From here", ">>From there", ">>>From afar", "Not From"];

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "corpus-writer-" + TestContext.CurrentContext.Test.ID);
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static List<GeneratedMessage> Sample() => new CorpusGenerator(new CorpusOptions { Instances = 10, Seed = 3 }).Generate().Messages.ToList();

    [Test]
    public void WriteMaildir_CreatesCurNewTmp_WithOneFilePerMessageInNew()
    {
        var messages = Sample();
        var maildir = Path.Combine(_directory, "Maildir");

        CorpusWriter.WriteMaildir(maildir, messages);

        Assert.That(Directory.Exists(Path.Combine(maildir, "cur")), Is.True);
        Assert.That(Directory.Exists(Path.Combine(maildir, "tmp")), Is.True);
        var files = Directory.GetFiles(Path.Combine(maildir, "new"));
        Assert.That(files, Has.Length.EqualTo(messages.Count));
        Assert.That(Directory.GetFiles(Path.Combine(maildir, "cur")), Is.Empty);
        var contents = files.Select(File.ReadAllBytes).Select(Convert.ToBase64String).Order();
        Assert.That(contents, Is.EqualTo(messages.Select(m => Convert.ToBase64String(m.Content)).Order()));
    }

    [Test]
    public void WriteEmlDirectory_NumbersFilesInDeliveryOrder()
    {
        var messages = Sample();

        CorpusWriter.WriteEmlDirectory(_directory, messages);

        var files = Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.EqualTo(messages.Count));
        Assert.That(files[0], Is.EqualTo($"00001-{messages[0].Name}.eml"));
        Assert.That(File.ReadAllBytes(Path.Combine(_directory, files[^1]!)), Is.EqualTo(messages[^1].Content));
    }

    [Test]
    public void WriteMbox_StartsEveryMessageWithFrom_AndReadsBackAsManyMessages()
    {
        var messages = Sample();
        var path = Path.Combine(_directory, "inbox.mbox");

        CorpusWriter.WriteMbox(path, messages);

        var text = File.ReadAllText(path, Encoding.Latin1);
        Assert.That(text, Does.StartWith("From "));
        var separators = text.Split('\n').Count(l => l.StartsWith("From ", StringComparison.Ordinal));
        Assert.That(separators, Is.EqualTo(messages.Count));

        using var stream = File.OpenRead(path);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        var ids = new List<string>();
        while (!parser.IsEndOfStream)
        {
            ids.Add(parser.ParseMessage().MessageId ?? string.Empty);
        }

        Assert.That(ids, Has.Count.EqualTo(messages.Count));
    }

    [Test]
    public void WriteMbox_EscapesFromLinesWithOneMoreQuote()
    {
        var body = "Subject: x\n\nFrom here\n>From there\n>>From afar\nNot From\n"u8.ToArray();
        var path = Path.Combine(_directory, "escape.mbox");

        CorpusWriter.WriteMbox(path, [new GeneratedMessage("x", body, [new ExpectedItem("not-a-report", null)])]);

        var lines = File.ReadAllText(path).Split('\n');
        Assert.That(lines[0], Does.StartWith("From MAILER-DAEMON "));
        Assert.That(lines[3..7], Is.EqualTo(EscapedLines));
    }
}
