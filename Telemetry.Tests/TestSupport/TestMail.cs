using System.IO.Compression;
using System.Text;
using MimeKit;
using Telemetry.Core.Mailbox;

namespace Telemetry.Tests.TestSupport;

/// <summary>Builds report emails for tests.</summary>
public static class TestMail
{
    public static string Json(
        string serverId,
        string kind,
        string generatedAt,
        string? reportId = null,
        string? period = null,
        int userCount = 100,
        int activeUsers = 10,
        string addonVersion = "4.9.1",
        string confluenceVersion = "8.5.4",
        string features = "{\"formulas\": 3}",
        string? extra = null)
    {
        var sb = new StringBuilder();
        sb.Append("{\"format\": \"playsql-report\", \"formatVersion\": 2, ");
        if (reportId is not null)
        {
            sb.Append($"\"reportId\": \"{reportId}\", ");
        }

        sb.Append($"\"kind\": \"{kind}\", \"serverId\": \"{serverId}\", \"generatedAt\": \"{generatedAt}\"");
        if (kind is "install" or "monthly")
        {
            if (period is not null)
            {
                var parts = period.Split('/');
                sb.Append($", \"period\": {{\"start\": \"{parts[0]}\", \"end\": \"{parts[1]}\"}}");
            }

            sb.Append($", \"confluence\": {{\"version\": \"{confluenceVersion}\", \"edition\": \"server\", \"userCount\": {userCount}}}");
            sb.Append($", \"addon\": {{\"version\": \"{addonVersion}\", \"license\": {{\"type\": \"commercial\", \"sen\": \"SEN-L1\"}}}}");
            sb.Append($", \"usage\": {{\"activeUsers\": {activeUsers}, \"spreadsheets\": 1, \"queries\": 5}}");
            sb.Append($", \"features\": {features}");
        }

        if (extra is not null)
        {
            sb.Append(", ").Append(extra);
        }

        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>A message carrying the JSON documents as playsql-report.json attachments.</summary>
    public static byte[] WithJson(params string[] documents)
    {
        var mixed = new Multipart("mixed") { new TextPart("plain") { Text = "Usage report." } };
        foreach (var json in documents)
        {
            mixed.Add(new MimePart("application", "json")
            {
                Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(json))),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = "playsql-report.json",
            });
        }

        return Build(mixed);
    }

    /// <summary>A message carrying raw bytes as an attachment with the given name.</summary>
    public static byte[] WithAttachment(string fileName, byte[] content, string mediaType = "application", string subtype = "octet-stream")
    {
        var mixed = new Multipart("mixed")
        {
            new MimePart(mediaType, subtype)
            {
                Content = new MimeContent(new MemoryStream(content)),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = fileName,
            },
        };
        return Build(mixed);
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Build(MimeEntity body, string subject = "[Play SQL] Usage report")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Confluence", "confluence@customer.example"));
        message.To.Add(new MailboxAddress(string.Empty, "reports@playsql.example"));
        message.Subject = subject;
        message.MessageId = Guid.NewGuid().ToString("N") + "@customer.example";
        message.Date = new DateTimeOffset(2026, 11, 1, 1, 5, 0, TimeSpan.Zero);
        message.Body = body;
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    public static RawMessage Raw(byte[] content, string origin = "test") =>
        new(origin, content, content.Length, MessageHasher.Hash(content));
}
