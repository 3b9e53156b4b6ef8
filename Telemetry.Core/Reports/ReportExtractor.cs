using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

using MimeKit;
using MimeKit.Text;

namespace Telemetry.Core.Reports;

/// <summary>
/// Finds every report in a raw email by content, never by subject or sender: format 2 JSON attachments
/// (<c>playsql-report*.json</c>, <c>playsql-report*.json.gz</c>) and format 1 text blocks, anywhere in the
/// MIME tree, attached messages included. Hostile input yields an outcome, never an exception.
/// </summary>
public sealed class ReportExtractor(ExtractionLimits limits) : IReportExtractor
{
    private static readonly ReadOnlyMemory<byte> Utf8Bom = new byte[] { 0xEF, 0xBB, 0xBF };

    private readonly ParserOptions parserOptions = new()
    {
        // One more level than we accept, so that a message at the limit is recognisable as such.
        MaxMimeDepth = limits.MaxDepth + 1,
        AllowAddressesWithoutDomain = true,
    };

    /// <summary>
    /// Messages (and attached messages kept encoded) larger than this, or than
    /// <see cref="ExtractionLimits.MaxHeaderBytes"/>, are read once by <see cref="StructureScan"/> before they are
    /// built. A smaller one cannot break the header limit and costs little to build whatever it holds (a few thousand
    /// parts at most), and the walk over the built message applies the same part and nesting limits with the same
    /// reasons.
    /// </summary>
    internal const int ScanAbove = 16 * 1024;

    public ExtractionLimits Limits => limits;

    /// <summary>Extracts from a message held in memory.</summary>
    public IReadOnlyList<ExtractedItem> Extract(ReadOnlyMemory<byte> raw)
    {
        if (raw.Length > limits.MaxMessageBytes)
        {
            return [TooLarge(raw.Length)];
        }

        if (raw.Length == 0)
        {
            return [ExtractedItem.Message(Outcome.Invalid, "the message is empty (0 bytes)")];
        }

        var bytes = MemoryMarshal.TryGetArray(raw, out var segment) ? segment : new ArraySegment<byte>(raw.ToArray());
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
            if (bytes.Count > Math.Min(ScanAbove, limits.MaxHeaderBytes))
            {
                StructureScan.Check(parserOptions, limits, stream);
                stream.Position = 0;
            }

            message = MimeMessage.Load(parserOptions, stream);
        }
        catch (StructureLimitException e)
        {
            return [ExtractedItem.Message(Outcome.Invalid, e.Message)];
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or DecoderFallbackException)
        {
            return [ExtractedItem.Message(Outcome.Invalid, "the message cannot be read as MIME: " + ReportText.Clip(e.Message))];
        }

        using (message)
        {
            return Extract(message);
        }
    }

    /// <summary>A message over <see cref="ExtractionLimits.MaxMessageBytes"/>, for sources that know its size before reading it.</summary>
    public ExtractedItem TooLarge(long size) => ExtractedItem.Message(
        Outcome.Invalid,
        $"the message is {Mib(size)}, over the limit of {Mib(limits.MaxMessageBytes)} per message (limit MaxMessageBytes)");

    /// <summary>Extracts from a parsed message.</summary>
    public IReadOnlyList<ExtractedItem> Extract(MimeMessage message)
    {
        if (NotReportVerdict(message) is { } verdict)
        {
            return [ExtractedItem.Message(Outcome.NotReport, verdict)];
        }

        var walk = new Walk(this);
        try
        {
            walk.Visit(message.Body, 1);
        }
        catch (StructureLimitException e)
        {
            return [ExtractedItem.Message(Outcome.Invalid, e.Message)];
        }

        if (walk.Items.Count == 0)
        {
            return [ExtractedItem.Message(Outcome.NotReport, "no report attachment or report block in the message")];
        }

        return walk.Items;
    }

    /// <summary>Bounces and auto-replies are never reports, whatever they quote.</summary>
    private static string? NotReportVerdict(MimeMessage message)
    {
        if (message.Body is MultipartReport or Multipart { ContentType.MimeType: "multipart/report" })
        {
            return "delivery or read report (bounce): multipart/report";
        }

        var autoSubmitted = message.Headers["Auto-Submitted"]?.Trim();
        if (autoSubmitted is not null
            && (autoSubmitted.StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase)
                || autoSubmitted.StartsWith("auto-notified", StringComparison.OrdinalIgnoreCase)))
        {
            return autoSubmitted.StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase)
                ? "automatic reply (Auto-Submitted: auto-replied)"
                : "automatic notification (Auto-Submitted: auto-notified)";
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond")
            || string.Equals(message.Headers["Precedence"]?.Trim(), "auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return "automatic reply (auto-reply headers)";
        }

        return null;
    }

    internal static bool IsReportFileName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var file = BaseName(name);
        return file.StartsWith("playsql-report", StringComparison.OrdinalIgnoreCase)
            && (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || file.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The file name without any folder, whether the sender used '/' or '\\'.</summary>
    internal static string BaseName(string name)
    {
        var trimmed = name.Trim();
        return trimmed[(trimmed.LastIndexOfAny(['/', '\\']) + 1)..];
    }

    internal static string Mib(long bytes) =>
        bytes >= 1024 * 1024
            ? $"{bytes / (1024.0 * 1024):0.#} MiB"
            : $"{bytes / 1024.0:0.#} KiB";

    /// <summary>One depth-first walk over a message, counting parts and depth.</summary>
    private sealed class Walk(ReportExtractor owner)
    {
        private int parts;

        public List<ExtractedItem> Items { get; } = [];

        private ExtractionLimits Limits => owner.Limits;

        public void Visit(MimeEntity? entity, int depth)
        {
            if (entity is null)
            {
                return;
            }

            if (++parts > Limits.MaxParts)
            {
                throw StructureLimitException.Parts(Limits);
            }

            if (depth > Limits.MaxDepth)
            {
                throw StructureLimitException.Depth(Limits);
            }

            switch (entity)
            {
                case Multipart multipart:
                    foreach (var child in multipart)
                    {
                        Visit(child, depth + 1);
                    }

                    break;
                case MessagePart { Message: { } inner }:
                    Visit(inner.Body, depth + 1);
                    break;
                case MimePart part:
                    VisitLeaf(part, depth);
                    break;
                default:
                    break;
            }
        }

        private void VisitLeaf(MimePart part, int depth)
        {
            var type = part.ContentType;
            if (type.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase))
            {
                // The parser stopped descending here: the nesting limit was reached.
                throw StructureLimitException.Depth(Limits);
            }

            if (IsReportFileName(part.FileName))
            {
                Items.Add(ReadAttachment(part));
                return;
            }

            if (type.IsMimeType("message", "rfc822") || type.IsMimeType("message", "global"))
            {
                // An attached message the parser kept opaque (for example base64-encoded): open it ourselves.
                VisitEncodedMessage(part, depth);
                return;
            }

            if (type.IsMimeType("text", "plain") && part is TextPart text)
            {
                ReadTextBlocks(text);
            }
        }

        private void VisitEncodedMessage(MimePart part, int depth)
        {
            if (part.Content is null)
            {
                return;
            }

            using var buffer = new BoundedBuffer(Limits.MaxMessageBytes);
            try
            {
                part.Content.DecodeTo(buffer);
            }
            catch (LimitExceededException)
            {
                throw new StructureLimitException("an attached message is over the per-message size limit (limit MaxMessageBytes)");
            }

            MimeMessage inner;
            try
            {
                using var stream = new MemoryStream(buffer.Written.ToArray(), writable: false);
                if (stream.Length > Math.Min(ScanAbove, Limits.MaxHeaderBytes))
                {
                    StructureScan.Check(owner.parserOptions, Limits, stream, parts, depth);
                    stream.Position = 0;
                }

                inner = MimeMessage.Load(owner.parserOptions, stream);
            }
            catch (FormatException)
            {
                return;
            }

            using (inner)
            {
                Visit(inner.Body, depth + 1);
            }
        }

        private ExtractedItem ReadAttachment(MimePart part)
        {
            var name = ReportText.Clip(BaseName(part.FileName!));
            var source = "attachment " + name;
            if (part.Content is null)
            {
                return ExtractedItem.Rejected(source, Outcome.Invalid, "the report attachment is empty");
            }

            // Decoded while it is read, so that gzip data is inflated as it is decoded: a bomb stops after the few
            // kilobytes that inflate to the limit, instead of being decoded whole first.
            using var decoded = new LimitedReadStream(part.Content.Open(), Limits.MaxAttachmentBytes);
            try
            {
                Span<byte> magic = stackalloc byte[2];
                var head = decoded.Peek(magic);
                if (head.Length == 2 && head[0] == 0x1F && head[1] == 0x8B)
                {
                    return Inflate(source, decoded);
                }

                using var buffer = new BoundedBuffer(Limits.MaxAttachmentBytes);
                decoded.CopyTo(buffer, 81920);
                var bytes = buffer.Written;
                if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && !LooksLikeJson(bytes.Span))
                {
                    return ExtractedItem.Rejected(source, Outcome.Invalid, "the .json.gz attachment is neither gzip data nor JSON");
                }

                return ParseJson(source, bytes);
            }
            catch (LimitExceededException)
            {
                return ExtractedItem.Rejected(source, Outcome.Invalid, $"the report attachment decodes to more than {Mib(Limits.MaxAttachmentBytes)} (limit MaxAttachmentBytes)");
            }
        }

        /// <summary>Inflates gzip data as it is decoded; the decoded (compressed) and the inflated sizes are both bounded.</summary>
        private ExtractedItem Inflate(string source, LimitedReadStream compressed)
        {
            using var inflated = new BoundedBuffer(Limits.MaxAttachmentBytes);
            try
            {
                using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
                gzip.CopyTo(inflated, 81920);
            }
            catch (LimitExceededException) when (!compressed.Exceeded)
            {
                return ExtractedItem.Rejected(source, Outcome.Invalid, $"the gzip report inflates to more than {Mib(Limits.MaxAttachmentBytes)} (limit MaxAttachmentBytes)");
            }
            catch (InvalidDataException e)
            {
                return ExtractedItem.Rejected(source, Outcome.Invalid, "the gzip report is corrupt: " + ReportText.Clip(e.Message));
            }

            return ParseJson(source, inflated.Written);
        }

        private static ExtractedItem ParseJson(string source, ReadOnlyMemory<byte> bytes)
        {
            var span = bytes.Span;
            if (span.StartsWith(Utf8Bom.Span))
            {
                bytes = bytes[3..];
            }
            else if (span.Length >= 2 && ((span[0] == 0xFF && span[1] == 0xFE) || (span[0] == 0xFE && span[1] == 0xFF)))
            {
                var encoding = span[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
                bytes = Encoding.UTF8.GetBytes(encoding.GetString(span[2..]));
            }

            return Format2Parser.Parse(bytes).ToItem(source);
        }

        /// <summary>
        /// True when the part's text cannot pass <see cref="Format1Parser.MayContainBlock"/>, told from its decoded
        /// bytes without converting them to text. Only for charsets that turn each byte under 128 into that same
        /// character and each other byte into something that is neither an ASCII letter nor ' ' (a non-ASCII
        /// character, U+FFFD or '?'), where the conversion MimeKit does (charset to UTF-8, CRLF to LF) joins no two
        /// characters that were apart: there, the text can only hold "BEGIN PLAY SQL REPORT" where the bytes hold
        /// "N PLAY " in some letter case. Not the whole phrase: Unicode upper-cases 'ı' (U+0131) to I and 'ſ' (U+017F)
        /// to S, and whether OrdinalIgnoreCase follows it is the runtime's business; no character but the ASCII ones is
        /// N, P, L, A, Y or a space in any case.
        /// </summary>
        private static bool CannotHoldBlock(TextPart part)
        {
            if (part.Content is not { } content || part.ContentType.Charset is not { } charset || !IsAsciiCompatible(charset))
            {
                return false;
            }

            using var decoded = new BoundedBuffer(long.MaxValue);
            content.DecodeTo(decoded);
            return !HoldsMarkerWords(decoded.Written.Span);
        }

        private static bool IsAsciiCompatible(string charset) =>
            charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("windows-1252", StringComparison.OrdinalIgnoreCase);

        private static bool HoldsMarkerWords(ReadOnlySpan<byte> bytes)
        {
            var words = "N PLAY "u8;
            var from = 2;
            while (from < bytes.Length)
            {
                var p = bytes[from..].IndexOfAny((byte)'P', (byte)'p');
                if (p < 0)
                {
                    return false;
                }

                var at = from + p - 2;
                if (at + words.Length <= bytes.Length && Ascii.EqualsIgnoreCase(bytes.Slice(at, words.Length), words))
                {
                    return true;
                }

                from += p + 1;
            }

            return false;
        }

        private static bool LooksLikeJson(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                {
                    continue;
                }

                return b == (byte)'{';
            }

            return false;
        }

        private void ReadTextBlocks(TextPart part)
        {
            string text;
            try
            {
                if (CannotHoldBlock(part))
                {
                    return;
                }

                text = part.Text ?? string.Empty;
            }
            catch (Exception e) when (e is DecoderFallbackException or ArgumentException or NotSupportedException)
            {
                return;
            }

            if (!Format1Parser.MayContainBlock(text))
            {
                return;
            }

            if (part.ContentType.Parameters["format"] is { } format && format.Equals("flowed", StringComparison.OrdinalIgnoreCase))
            {
                var delsp = part.ContentType.Parameters["delsp"];
                var converter = new FlowedToText { DeleteSpace = delsp is not null && delsp.Equals("yes", StringComparison.OrdinalIgnoreCase) };
                text = converter.Convert(text);
            }

            var index = 0;
            foreach (var result in Format1Parser.ParseAll(text))
            {
                index++;
                Items.Add(result.ToItem("text block " + index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }
}
