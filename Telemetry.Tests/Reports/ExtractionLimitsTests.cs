using System.Diagnostics;
using System.Text;
using MimeKit;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Reports;

/// <summary>Hostile messages end as invalid with the limit they broke; they never crash or exhaust memory.</summary>
public sealed class ExtractionLimitsTests
{
    private static readonly ReportExtractor Extractor = new(ExtractionLimits.Default);

    private static readonly string Valid = TestMail.Json("LIMI-TEST-0000-0001", "install", "2026-11-01T02:00:00Z", reportId: "aaaaaaaa-0000-4000-8000-000000000001");

    [Test]
    public void GzipBomb_StopsAtTheAttachmentLimit_WithoutInflatingEverything()
    {
        // 200 MiB of zeros compress to about 200 KiB.
        var zeros = new byte[1024 * 1024];
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var i = 0; i < 200; i++)
            {
                gzip.Write(zeros);
            }
        }

        var message = TestMail.WithAttachment("playsql-report.json.gz", compressed.ToArray(), "application", "gzip");
        var before = GC.GetTotalAllocatedBytes();
        var items = Extractor.Extract(message);
        var allocated = GC.GetTotalAllocatedBytes() - before;

        Assert.That(items, Has.Count.EqualTo(1));
        Assert.That(items[0].Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(items[0].Reason, Does.Contain("inflates to more than 16 MiB"));
        Assert.That(allocated, Is.LessThan(120L * 1024 * 1024), "inflation stopped near the limit");
    }

    [Test]
    public void GzipReport_IsInflatedWhileItIsDecoded_SoABombStopsAtItsStart()
    {
        // 270 gzip members of 64 MiB of zeros: 17 MiB of compressed data (over the limit itself) inflating to 17 GiB.
        // Inflated as it is decoded, the first member reaches the limit after a few kilobytes of compressed data.
        using var member = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(member, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        using var compressed = new MemoryStream();
        while (compressed.Length <= 17 * 1024 * 1024)
        {
            member.WriteTo(compressed);
        }

        var message = TestMail.WithAttachment("playsql-report.json.gz", compressed.ToArray(), "application", "gzip");
        var before = GC.GetTotalAllocatedBytes();
        var items = Extractor.Extract(message);
        var allocated = GC.GetTotalAllocatedBytes() - before;

        Assert.That(items.Single().Reason, Is.EqualTo("the gzip report inflates to more than 16 MiB (limit MaxAttachmentBytes)"));
        Assert.That(allocated, Is.LessThan(100L * 1024 * 1024), "the compressed data was not decoded whole first");
    }

    [TestCase("playsql-report.json", false)]
    [TestCase("playsql-report.json.gz", true)]
    public void AttachmentDecodingToMoreThanTheLimit_IsInvalid_GzipOrNot(string name, bool gzip)
    {
        // Random bytes do not compress: the gzip data itself is over the limit before it inflates to it.
        var content = new byte[(16 * 1024 * 1024) + 1024];
        new Random(5).NextBytes(content);
        var items = Extractor.Extract(TestMail.WithAttachment(name, gzip ? TestMail.Gzip(content) : content));
        Assert.That(items.Single().Reason, Is.EqualTo("the report attachment decodes to more than 16 MiB (limit MaxAttachmentBytes)"));
    }

    [Test]
    public void AttachmentOfExactlyTheLimit_IsRead()
    {
        var json = Encoding.UTF8.GetBytes(Valid);
        var padded = new byte[16 * 1024 * 1024];
        padded.AsSpan().Fill((byte)' ');
        json.AsSpan(0, json.Length - 1).CopyTo(padded);
        padded[^1] = (byte)'}';
        Assert.That(Extractor.Extract(TestMail.WithAttachment("playsql-report.json", padded)).Single().Report, Is.Not.Null);
        Assert.That(Extractor.Extract(TestMail.WithAttachment("playsql-report.json.gz", TestMail.Gzip(padded))).Single().Report, Is.Not.Null);
    }

    [Test]
    public void MessageOverTheSizeLimit_IsInvalidWithTheLimit()
    {
        var extractor = new ReportExtractor(new ExtractionLimits { MaxMessageBytes = 64 * 1024 });
        var big = TestMail.WithAttachment("photo.jpg", new byte[100 * 1024]);
        var items = extractor.Extract(big);
        Assert.That(items.Single().Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(items.Single().Reason, Does.Contain("over the limit").And.Contain("MaxMessageBytes"));
    }

    [Test]
    public void TooManyParts_IsInvalidWithTheLimit()
    {
        var mixed = new Multipart("mixed");
        for (var i = 0; i < 600; i++)
        {
            mixed.Add(new TextPart("plain") { Text = "part " + i });
        }

        var items = Extractor.Extract(TestMail.Build(mixed));
        Assert.That(items.Single().Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(items.Single().Reason, Does.Contain("more than 500 MIME parts"));
    }

    /// <summary>A multipart of <paramref name="parts"/> tiny parts, written by hand as a sender could.</summary>
    private static byte[] TinyParts(int parts, byte[]? inner = null)
    {
        var sb = new StringBuilder("From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n");
        for (var i = 0; i < parts; i++)
        {
            sb.Append("--p\r\n\r\nx\r\n");
        }

        if (inner is not null)
        {
            sb.Append("--p\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .Append(Convert.ToBase64String(inner, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(sb.Append("--p--\r\n").ToString());
    }

    [Test]
    public void HundredThousandParts_AreRefusedBeforeTheMessageIsBuilt()
    {
        // Building this message took 4.5 s and 400 MB; counting its parts first allocates little.
        var raw = TinyParts(100_000);
        var before = GC.GetTotalAllocatedBytes();
        var items = Extractor.Extract(raw);
        var allocated = GC.GetTotalAllocatedBytes() - before;

        Assert.That(items.Single().Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(items.Single().Reason, Is.EqualTo("the message has more than 500 MIME parts (limit MaxParts)"));
        Assert.That(allocated, Is.LessThan(20L * 1024 * 1024), "no tree of 100,000 parts was built");
    }

    [Test]
    public void AttachedBase64Message_OfHundredThousandParts_IsRefusedBeforeItIsBuilt()
    {
        var raw = TinyParts(3, inner: TinyParts(100_000));
        var before = GC.GetTotalAllocatedBytes();
        var items = Extractor.Extract(raw);
        var allocated = GC.GetTotalAllocatedBytes() - before;

        Assert.That(items.Single().Reason, Is.EqualTo("the message has more than 500 MIME parts (limit MaxParts)"));
        Assert.That(allocated, Is.LessThan(60L * 1024 * 1024), "the attached message was decoded, not built");
    }

    [TestCase(501)]
    [TestCase(5_000)]
    public void TooManyParts_GiveTheSameReason_WhetherTheMessageIsScannedFirstOrNot(int parts)
    {
        // 501 tiny parts fit under the size from which messages are scanned before they are built; 5,000 do not.
        var raw = TinyParts(parts);
        Assert.That(raw.Length > ReportExtractor.ScanAbove, Is.EqualTo(parts > 1000));
        Assert.That(Extractor.Extract(raw).Single().Reason, Is.EqualTo("the message has more than 500 MIME parts (limit MaxParts)"));
    }

    /// <summary>A report message with one more header field of <paramref name="bytes"/> bytes, in the message's header or in a part's.</summary>
    private static byte[] WithHeaderField(int bytes, bool inPart, bool folded = false)
    {
        var field = new StringBuilder("X-Padding: ");
        for (var i = 0; field.Length < bytes; i++)
        {
            field.Append(folded && i % 70 == 69 ? "\r\n a" : "a");
        }

        var report = Encoding.ASCII.GetString(TestMail.WithJson(Valid));
        var at = inPart ? report.IndexOf("Content-Disposition: attachment", StringComparison.Ordinal) : 0;
        return Encoding.ASCII.GetBytes(report.Insert(at, field.Append("\r\n").ToString()));
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    public void HeaderFieldOfTenMegabytes_IsRefusedWhileItIsRead(bool inPart, bool folded)
    {
        // MimeKit took a minute to read a 10 MB header field; the limit stops the reading near 256 KiB.
        var raw = WithHeaderField(10_000_000, inPart, folded);
        var before = GC.GetTotalAllocatedBytes();
        var items = Extractor.Extract(raw);
        var allocated = GC.GetTotalAllocatedBytes() - before;

        Assert.That(items.Single().Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(items.Single().Reason, Is.EqualTo("a header of the message is over 256 KiB (limit MaxHeaderBytes)"));
        Assert.That(allocated, Is.LessThan(16L * 1024 * 1024), "the header was not read whole");
    }

    [Test]
    public void HeaderFieldUnderTheLimit_IsRead()
    {
        var items = Extractor.Extract(WithHeaderField(200 * 1024, inPart: true));
        Assert.That(items.Single().Report, Is.Not.Null);
    }

    [Test]
    public void ManyHeaderFields_AddUpToTheLimit()
    {
        var fields = new StringBuilder();
        for (var i = 0; fields.Length <= 300 * 1024; i++)
        {
            fields.Append("X-Field-").Append(i).Append(": ").Append('v', 60).Append("\r\n");
        }

        var raw = Encoding.ASCII.GetBytes(fields + Encoding.ASCII.GetString(TestMail.WithJson(Valid)));
        Assert.That(Extractor.Extract(raw).Single().Reason, Does.Contain("limit MaxHeaderBytes"));
    }

    [Test]
    public void HeaderLimit_IsConfigurable_AndAppliesToSmallMessagesToo()
    {
        var extractor = new ReportExtractor(new ExtractionLimits { MaxHeaderBytes = 2048 });
        var raw = WithHeaderField(3000, inPart: false);
        Assert.That(raw.Length, Is.LessThan(ReportExtractor.ScanAbove));
        Assert.That(extractor.Extract(raw).Single().Reason, Is.EqualTo("a header of the message is over 2 KiB (limit MaxHeaderBytes)"));
        Assert.That(extractor.Extract(TestMail.WithJson(Valid)).Single().Report, Is.Not.Null);
    }

    /// <summary>
    /// A report at <paramref name="depth"/>: in multiparts nested in each other, or in multiparts and attached messages
    /// by turns (an attached message is one level, its body the next), with a 20 KB text part beside the report when
    /// <paramref name="large"/> (so that the message is scanned before it is built).
    /// </summary>
    private static byte[] ReportAtDepth(int depth, bool attachedMessages, bool large)
    {
        var json = Convert.ToBase64String(Encoding.UTF8.GetBytes(Valid));
        var inner = "Content-Type: multipart/mixed; boundary=leaf\r\n\r\n--leaf\r\nContent-Type: text/plain\r\n\r\n"
            + (large ? new string('x', 20_000) : "x")
            + $"\r\n--leaf\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=playsql-report.json\r\n\r\n{json}\r\n--leaf--\r\n";

        // The leaf multipart is the message's body (level 1), the report one level under it.
        for (var level = 2; level < depth; level++)
        {
            inner = attachedMessages && level % 2 == 0
                ? $"Content-Type: message/rfc822\r\n\r\nFrom: a@b.example\r\nSubject: level {level}\r\n{inner}"
                : $"Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n--b{level}\r\n{inner}\r\n--b{level}--\r\n";
        }

        return Encoding.ASCII.GetBytes("From: a@b.example\r\nMIME-Version: 1.0\r\n" + inner);
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void DepthLimit_IsTheSame_WhetherTheMessageIsScannedFirstOrNot(bool attachedMessages, bool large)
    {
        var atLimit = ReportAtDepth(ExtractionLimits.DefaultMaxDepth, attachedMessages, large);
        var overLimit = ReportAtDepth(ExtractionLimits.DefaultMaxDepth + 1, attachedMessages, large);
        Assert.That(atLimit.Length > ReportExtractor.ScanAbove, Is.EqualTo(large));

        Assert.That(Extractor.Extract(atLimit).Single().Report, Is.Not.Null, "a report 10 levels deep is read");
        Assert.That(Extractor.Extract(overLimit).Single().Reason, Is.EqualTo("the message nests parts more than 10 levels deep (limit MaxDepth)"));
    }

    [TestCase(3, Outcome.Accepted)]
    [TestCase(40, Outcome.Invalid)]
    [TestCase(2000, Outcome.Invalid)]
    public void NestedMessages_BeyondTheDepthLimit_AreInvalid(int depth, Outcome expected)
    {
        // Each level is a multipart/mixed holding a message/rfc822 (two levels of nesting); the report is at the bottom.
        var raw = TestMail.WithJson(Valid);
        for (var i = 0; i < depth; i++)
        {
            var sb = new StringBuilder();
            sb.Append("From: a@b.example\r\nSubject: level ").Append(i).Append("\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b").Append(i).Append("\"\r\n\r\n");
            sb.Append("--b").Append(i).Append("\r\nContent-Type: message/rfc822\r\n\r\n");
            raw = [.. Encoding.ASCII.GetBytes(sb.ToString()), .. raw, .. Encoding.ASCII.GetBytes("\r\n--b" + i + "--\r\n")];
        }

        var stopwatch = Stopwatch.StartNew();
        var items = Extractor.Extract(raw);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        if (expected == Outcome.Accepted)
        {
            Assert.That(items.Single().Report, Is.Not.Null);
        }
        else
        {
            Assert.That(items.Single().Rejection, Is.EqualTo(Outcome.Invalid));
            Assert.That(items.Single().Reason, Does.Contain("levels deep"));
        }
    }

    [Test]
    public void GarbageBytes_GiveAnOutcomeNotAnException()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 4000)];
            random.NextBytes(bytes);
            var items = Extractor.Extract(bytes);
            Assert.That(items, Is.Not.Empty);
            Assert.That(items.All(x => x.Report is not null || x.Rejection is not null), Is.True);
        }
    }

    [Test]
    public void EmptyMessage_IsInvalid() =>
        Assert.That(Extractor.Extract(ReadOnlyMemory<byte>.Empty).Single().Rejection, Is.EqualTo(Outcome.Invalid));
}
