using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Mailbox;

/// <summary>A message file over the size limit is known from its length: it is never read whole (a 1.4 GB file took seconds to hash).</summary>
public sealed class OversizedFileTests
{
    private const int Limit = 64 * 1024;

    private static byte[] Content(int size)
    {
        var bytes = new byte[size];
        new Random(3).NextBytes(bytes);
        return bytes;
    }

    private static RawMessage Read(TempDirectory dir, string name, byte[] content)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, content);
        return FileMessageSource.ReadMessageFile(path, Limit);
    }

    [Test]
    public void OversizedFile_HasNoContent_AndIsKeyedByItsSizeAndEnds_NotByItsMiddle()
    {
        using var dir = new TempDirectory();
        var original = Content(400 * 1024);
        var middle = (byte[])original.Clone();
        middle[200 * 1024] ^= 0xFF;
        var first = (byte[])original.Clone();
        first[0] ^= 0xFF;
        var last = (byte[])original.Clone();
        last[^1] ^= 0xFF;

        var a = Read(dir, "a.eml", original);
        Assert.Multiple(() =>
        {
            Assert.That(a.Content, Is.Null);
            Assert.That(a.Size, Is.EqualTo(original.Length));
            Assert.That(Read(dir, "renamed.eml", original).ContentHash, Is.EqualTo(a.ContentHash), "the same file under another name");
            Assert.That(Read(dir, "middle.eml", middle).ContentHash, Is.EqualTo(a.ContentHash), "the middle is never read");
            Assert.That(Read(dir, "first.eml", first).ContentHash, Is.Not.EqualTo(a.ContentHash));
            Assert.That(Read(dir, "last.eml", last).ContentHash, Is.Not.EqualTo(a.ContentHash));
            Assert.That(Read(dir, "longer.eml", [.. original, 0]).ContentHash, Is.Not.EqualTo(a.ContentHash));
        });
    }

    [Test]
    public void FileAtTheLimit_IsReadWhole_WithItsContentHash()
    {
        using var dir = new TempDirectory();
        var content = Content(Limit);
        var message = Read(dir, "limit.eml", content);
        Assert.That(message.Content, Is.EqualTo(content));
        Assert.That(message.ContentHash, Is.EqualTo(MessageHasher.Hash(content)));
    }

    [Test]
    public void SparseFileOfFourGigabytes_IsInvalidFromItsLength()
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge.eml");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(4L << 30);
        }

        var message = FileMessageSource.ReadMessageFile(path, ExtractionLimits.DefaultMaxMessageBytes);
        var item = new ReportExtractor(ExtractionLimits.Default).TooLarge(message.Size);
        Assert.That(message.Content, Is.Null);
        Assert.That(message.Size, Is.EqualTo(4L << 30));
        Assert.That(item.Reason, Does.Contain("4096 MiB").And.Contain("limit MaxMessageBytes"));
    }
}
