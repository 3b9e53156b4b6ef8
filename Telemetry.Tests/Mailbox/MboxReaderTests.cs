using System.Text;
using Telemetry.Core.Mailbox;

namespace Telemetry.Tests.Mailbox;

public sealed class MboxReaderTests
{
    private static List<RawMessage> Read(string mbox, long limit = 1 << 20) =>
        MboxReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(mbox)), "test.mbox", limit).ToList();

    [Test]
    public void Read_SplitsAtFromLinesAfterABlankLine_AndUnescapesQuotedFrom()
    {
        var messages = Read(
            "From 123@xxx Sat Nov 01 01:05:00 +0000 2026\nSubject: one\n\nbody\n>From the start\nFrom inside a paragraph is not a separator\n\n" +
            "From 456@xxx Sat Nov 01 01:06:00 +0000 2026\nSubject: two\n\nsecond\n");

        Assert.That(messages, Has.Count.EqualTo(2));
        var first = Encoding.UTF8.GetString(messages[0].Content!);
        Assert.That(first, Is.EqualTo("Subject: one\n\nbody\nFrom the start\nFrom inside a paragraph is not a separator\n"));
        Assert.That(Encoding.UTF8.GetString(messages[1].Content!), Is.EqualTo("Subject: two\n\nsecond\n"));
    }

    [Test]
    public void Read_SameMessageWithCrLf_HasTheSameHashAsWithLf()
    {
        var lf = Read("From a\nSubject: x\n\nbody\n").Single();
        var crlf = Read("From a\r\nSubject: x\r\n\r\nbody\r\n").Single();
        Assert.That(crlf.ContentHash, Is.EqualTo(lf.ContentHash));
        Assert.That(lf.ContentHash, Is.EqualTo(MessageHasher.Hash(Encoding.UTF8.GetBytes("Subject: x\n\nbody\n"))));
    }

    [Test]
    public void Read_MessageOverTheLimit_IsHashedButNotKept_AndTheNextOneIsRead()
    {
        var longLine = new string('x', 300_000);
        var messages = Read($"From a\nSubject: big\n\n{longLine}\n\nFrom b\nSubject: small\n\nok\n", limit: 100_000);
        Assert.That(messages, Has.Count.EqualTo(2));
        Assert.That(messages[0].Content, Is.Null);
        Assert.That(messages[0].Size, Is.GreaterThan(300_000));
        Assert.That(Encoding.UTF8.GetString(messages[1].Content!), Is.EqualTo("Subject: small\n\nok\n"));
    }
}
