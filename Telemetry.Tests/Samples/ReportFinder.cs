using System.IO.Compression;

using MimeKit;

using Telemetry.Core.Reports;

namespace Telemetry.Tests.Samples;

/// <summary>
/// A plain reading of the contract, written for the tests and independent of the generator: finds every report in a
/// message, in MIME order, including inside attached emails, and parses it with the production parsers.
/// </summary>
internal static class ReportFinder
{
    public static List<ParseResult> Find(byte[] content)
    {
        using var stream = new MemoryStream(content);
        var message = MimeMessage.Load(stream);
        var found = new List<ParseResult>();
        Walk(message.Body, found);
        return found;
    }

    private static void Walk(MimeEntity? entity, List<ParseResult> found)
    {
        switch (entity)
        {
            case MessagePart { Message: { } inner }:
                Walk(inner.Body, found);
                break;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Walk(child, found);
                }

                break;
            case TextPart text when text.IsPlain && text.FileName is null:
                if (Format1Parser.MayContainBlock(text.Text))
                {
                    found.AddRange(Format1Parser.ParseAll(text.Text));
                }

                break;
            case MimePart part when IsReportFile(part.FileName, out var gzipped):
                using (var decoded = new MemoryStream())
                {
                    part.Content?.DecodeTo(decoded);
                    var bytes = decoded.ToArray();
                    if (gzipped)
                    {
                        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                        using var plain = new MemoryStream();
                        gzip.CopyTo(plain);
                        bytes = plain.ToArray();
                    }

                    found.Add(Format2Parser.Parse(bytes));
                }

                break;
        }
    }

    private static bool IsReportFile(string? fileName, out bool gzipped)
    {
        gzipped = false;
        if (fileName is null || !fileName.StartsWith("playsql-report", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        gzipped = fileName.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);
        return gzipped || fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }
}
