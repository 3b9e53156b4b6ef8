using System.Globalization;
using System.IO.Compression;
using System.Text;

using MimeKit;
using MimeKit.Utils;

namespace Telemetry.Core.Samples;

/// <summary>
/// Small builders of MIME parts. Everything random (boundaries, Message-IDs) comes from the given stream, so the
/// same plan renders the same bytes.
/// </summary>
internal static class MimeParts
{
    public const string ReportsAddress = "reports@playsql.example";

    static MimeParts() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Charset(string name) => name switch
    {
        "iso-8859-1" => Encoding.Latin1,
        "windows-1252" => Encoding.GetEncoding(1252),
        _ => new UTF8Encoding(false),
    };

    /// <summary>A boundary in the style of JavaMail, which Confluence uses.</summary>
    public static string Boundary(Random r, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"----=_Part_{r.Between(1, 9999)}_{r.Between(100_000_000, 999_999_999)}.{at.ToUnixTimeMilliseconds()}");

    public static Multipart Multipart(string subtype, Random r, DateTimeOffset at) => new(subtype) { Boundary = Boundary(r, at) };

    public static string MessageId(Random r, DateTimeOffset at, string domain) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Between(100_000, 9_999_999)}.{r.Between(1, 999)}.{at.ToUnixTimeMilliseconds()}@{domain}");

    public static TextPart Text(string text, Encoding encoding, ContentEncoding transfer, string subtype = "plain")
    {
        var part = new TextPart(subtype);
        part.SetText(encoding, text);
        part.ContentTransferEncoding = transfer;
        return part;
    }

    public static MimePart Attachment(byte[] content, string mediaType, string mediaSubtype, string fileName, ContentEncoding transfer) =>
        new(mediaType, mediaSubtype)
        {
            Content = new MimeContent(new MemoryStream(content)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
            ContentTransferEncoding = transfer,
        };

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Whether the bytes may travel as 7bit: ASCII, and no line longer than SMTP allows.</summary>
    public static bool Is7BitSafe(byte[] content)
    {
        var line = 0;
        foreach (var b in content)
        {
            if (b >= 128 || b == 0)
            {
                return false;
            }

            line = b == '\n' ? 0 : line + 1;
            if (line > 900)
            {
                return false;
            }
        }

        return true;
    }

    public static MimeMessage Message(MailboxAddress from, string subject, DateTimeOffset date, string messageId, MimeEntity body)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(string.Empty, ReportsAddress));
        message.Subject = subject;
        message.Date = date;
        message.MessageId = messageId;
        message.Body = body;
        return message;
    }

    /// <summary>The trace header the vendor's mail server adds on reception.</summary>
    public static void AddReceived(MimeMessage message, string fromHost, DateTimeOffset receivedAt, Random r) =>
        message.Headers.Insert(0, new Header("Received", string.Create(
            CultureInfo.InvariantCulture,
            $"from {fromHost} ({fromHost} [203.0.113.{r.Between(1, 254)}]) by mx.playsql.example with ESMTPS id {r.NextInt64():x12}; {DateUtils.FormatDate(receivedAt)}")));
}
