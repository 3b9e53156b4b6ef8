using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

using MimeKit;

using Telemetry.Core.Reports;

namespace Telemetry.Fuzz;

/// <summary>
/// Writes the starting inputs of a target from sample mail: whole messages for the extractor, the text blocks
/// found in them for format 1, the decoded (and inflated) JSON attachments for format 2. Inputs over the size
/// bound are skipped, since AFL works best from small seeds; identical inputs are written once.
/// </summary>
public static class Seeds
{
    public static int Run(string target, string outputDirectory, int maxBytes, IEnumerable<string> sources)
    {
        Directory.CreateDirectory(outputDirectory);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        var messages = 0;
        foreach (var file in sources.SelectMany(Files))
        {
            messages++;
            var raw = File.ReadAllBytes(file);
            foreach (var seed in Extract(target, raw))
            {
                if (seed.Length == 0)
                {
                    continue;
                }

                if (seed.Length > maxBytes)
                {
                    skipped++;
                    continue;
                }

                var name = Convert.ToHexStringLower(SHA256.HashData(seed))[..16];
                if (written.Add(name))
                {
                    File.WriteAllBytes(Path.Combine(outputDirectory, $"{target}-{name}"), seed);
                }
            }
        }

        Console.WriteLine($"seeds for {target}: {written.Count} from {messages} messages ({skipped} over {maxBytes} bytes skipped)");
        return written.Count > 0 ? 0 : 1;
    }

    private static IEnumerable<string> Files(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal)
            : [path];

    private static List<byte[]> Extract(string target, byte[] raw)
    {
        if (target == Targets.Extractor)
        {
            return [raw];
        }

        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return [];
        }

        using (message)
        {
            var seeds = new List<byte[]>();
            Walk(message.Body, target, seeds);
            return seeds;
        }
    }

    private static void Walk(MimeEntity? entity, string target, List<byte[]> seeds)
    {
        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Walk(child, target, seeds);
                }

                break;
            case MessagePart { Message: { } inner }:
                Walk(inner.Body, target, seeds);
                break;
            case TextPart text when target == Targets.Format1 && text.IsPlain:
                seeds.AddRange(TextBlocks(text.Text ?? string.Empty).Select(Encoding.UTF8.GetBytes));
                break;
            case MimePart part when target == Targets.Format2 && IsReportFileName(part.FileName) && part.Content is not null:
                seeds.Add(Json(part));
                break;
            default:
                break;
        }
    }

    /// <summary>Every block from its BEGIN line to its END line (or to the end of the text), lines as sent.</summary>
    private static IEnumerable<string> TextBlocks(string text)
    {
        StringBuilder? block = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Contains("BEGIN PLAY SQL REPORT", StringComparison.OrdinalIgnoreCase))
            {
                if (block is not null)
                {
                    yield return block.ToString();
                }

                block = new StringBuilder();
            }

            if (block is null)
            {
                continue;
            }

            block.Append(line).Append('\n');
            if (line.Contains("END PLAY SQL REPORT", StringComparison.OrdinalIgnoreCase))
            {
                yield return block.ToString();
                block = null;
            }
        }

        if (block is not null)
        {
            yield return block.ToString();
        }
    }

    private static bool IsReportFileName(string? name)
    {
        var file = Path.GetFileName((name ?? string.Empty).Trim().Replace('\\', '/'));
        return file.StartsWith("playsql-report", StringComparison.OrdinalIgnoreCase)
            && (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The decoded attachment, inflated when it is gzip data (a corrupt one is kept as it is).</summary>
    private static byte[] Json(MimePart part)
    {
        using var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        var bytes = decoded.ToArray();
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
        {
            return bytes;
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes, writable: false), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            gzip.CopyTo(inflated);
            return inflated.ToArray();
        }
        catch (InvalidDataException)
        {
            return bytes;
        }
    }
}
