using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Telemetry.Core.Samples;

/// <summary>One message of the hostile corpus: its name (also its file name) and how to write it.</summary>
/// <param name="Name">Short, file-name safe, for example <c>gzip-bomb-10gb</c>.</param>
/// <param name="Description">What the message does, for people.</param>
/// <param name="Write">Writes the message to a stream, streaming: nothing near its size is held in memory.</param>
public sealed record HostileCase(string Name, string Description, Action<Stream> Write);

/// <summary>
/// Messages built to break the receiver: nesting, part counts, header, attachment and decompressed sizes far past
/// the limits, nested attached messages, bad charsets, truncation, NUL bytes and very long lines. Each case is written
/// while streaming, so the 1.4 GB one costs disk, not memory; the corpus is generated, never committed. Every message
/// carries an otherwise valid report (server <c>HOST-ILE0-0000-NNNN</c>), so a receiver that missed a limit would store it.
/// </summary>
public static class HostileCorpus
{
    /// <summary>The Server ID of the report inside every hostile message; the last group is the case number.</summary>
    public const string ServerIdPrefix = "HOST-ILE0-0000-";

    private const string Crlf = "\r\n";

    public static IReadOnlyList<HostileCase> Cases { get; } =
    [
        new("deep-nesting", "10,000 multiparts nested in each other, a report at the bottom", DeepNesting),
        new("many-parts", "one multipart with 100,000 parts, a report last", ManyParts),
        new("huge-header", "a 10 MB header field on one line (a To: of about 400,000 addresses)", HugeHeader),
        new("base64-1gb", "a playsql-report.json attachment whose base64 decodes to 1 GiB (1.4 GB on disk)", Base64OneGigabyte),
        new("gzip-bomb-10gb", "a playsql-report.json.gz of 10 MB that inflates to 10 GiB", GzipBomb),
        new("nested-rfc822-1000", "1,000 message/rfc822 nested in each other, a report at the bottom", NestedMessages),
        new("invalid-charset-unknown", "Format 1 blocks in text parts whose charset names no known charset", UnknownCharsets),
        new("invalid-charset-bytes", "Format 1 blocks in text parts declared UTF-8, UTF-16 and ISO-2022-JP whose bytes are not", InvalidCharsetBytes),
        new("truncated-header", "a message cut in the middle of a header field", TruncatedHeader),
        new("truncated-boundary", "a message cut in the middle of its closing boundary, after the report", TruncatedBoundary),
        new("truncated-base64", "a message cut in the middle of the report's base64", TruncatedBase64),
        new("nul-bytes", "NUL bytes in header names and values and inside the JSON report", NulBytes),
        new("single-line-50mb", "a text/plain body of one 50 MB line", SingleLine50Mb),
    ];

    /// <summary>The case of that name.</summary>
    public static HostileCase Find(string name) =>
        Cases.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no hostile case named '{name}'; known: {string.Join(", ", Cases.Select(c => c.Name))}", nameof(name));

    /// <summary>The file name of a case: <c>NN-name.eml</c>, numbered in the order of <see cref="Cases"/>.</summary>
    public static string FileName(HostileCase hostile)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        return string.Create(CultureInfo.InvariantCulture, $"{Number(hostile):D2}-{hostile.Name}.eml");
    }

    /// <summary>Writes one case into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteFile(HostileCase hostile, string directory)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(hostile));
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        hostile.Write(output);
        return path;
    }

    private static int Number(HostileCase hostile)
    {
        for (var i = 0; i < Cases.Count; i++)
        {
            if (Cases[i].Name == hostile.Name)
            {
                return i + 1;
            }
        }

        throw new ArgumentException($"'{hostile.Name}' is not a case of the hostile corpus", nameof(hostile));
    }

    private static int Number(string name) => Number(Find(name));

    private static string ServerId(int number) => ServerIdPrefix + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The report every hostile message carries, valid on its own.</summary>
    private static string ReportJsonText(int number) =>
        "{\"format\": \"playsql-report\", \"formatVersion\": 2, "
        + $"\"reportId\": \"0000ba5e-0000-4000-8000-{number:D12}\", \"kind\": \"install\", "
        + $"\"serverId\": \"{ServerId(number)}\", \"generatedAt\": \"2026-11-01T02:00:00Z\", "
        + "\"confluence\": {\"version\": \"8.5.4\", \"edition\": \"server\", \"userCount\": 10}, "
        + "\"addon\": {\"version\": \"4.9.1\", \"license\": {\"type\": \"commercial\"}}, "
        + "\"usage\": {\"activeUsers\": 5, \"spreadsheets\": 1, \"queries\": 2}, \"features\": {\"formulas\": 1}"
        + "}";

    private static string Format1Block(int number) =>
        "--- BEGIN PLAY SQL REPORT ---" + Crlf
        + "Report-Version: 1" + Crlf
        + $"Report-Id: 0000ba5e-0000-4000-8000-{number:D12}" + Crlf
        + "Kind: install" + Crlf
        + $"Server-Id: {ServerId(number)}" + Crlf
        + "Generated-At: 2026-11-01T02:00:00Z" + Crlf
        + "Confluence-Version: 5.9.4" + Crlf
        + "Confluence-Users: 10" + Crlf
        + "Play-SQL-Version: 3.5.2" + Crlf
        + "Active-Users: 5" + Crlf
        + "--- END PLAY SQL REPORT ---" + Crlf;

    private static void Headers(Stream output, string name, string contentType, string? extra = null, bool to = true)
    {
        Ascii(
            output,
            "From: Hostile <hostile@attacker.example>" + Crlf
            + (to ? "To: reports@playsql.example" + Crlf : string.Empty)
            + $"Subject: [Play SQL] Usage report ({name})" + Crlf
            + "Date: Sun, 01 Nov 2026 01:05:00 +0000" + Crlf
            + $"Message-ID: <{name}@attacker.example>" + Crlf
            + (extra ?? string.Empty)
            + "MIME-Version: 1.0" + Crlf
            + $"Content-Type: {contentType}" + Crlf
            + Crlf);
    }

    private static void JsonPart(Stream output, byte[] json, string fileName = "playsql-report.json")
    {
        Ascii(
            output,
            "Content-Type: application/json" + Crlf
            + "Content-Transfer-Encoding: base64" + Crlf
            + $"Content-Disposition: attachment; filename=\"{fileName}\"" + Crlf
            + Crlf);
        using (var base64 = new Base64LineStream(output))
        {
            base64.Write(json);
        }
    }

    private static void DeepNesting(Stream output)
    {
        const int Levels = 10_000;
        Headers(output, "deep-nesting", "multipart/mixed; boundary=\"n0\"");
        var buffered = new BufferedStream(output, 1 << 16);
        for (var i = 1; i < Levels; i++)
        {
            Ascii(buffered, $"--n{i - 1}{Crlf}Content-Type: multipart/mixed; boundary=\"n{i}\"{Crlf}{Crlf}");
        }

        Ascii(buffered, $"--n{Levels - 1}{Crlf}");
        JsonPart(buffered, Encoding.UTF8.GetBytes(ReportJsonText(Number("deep-nesting"))));
        for (var i = Levels - 1; i >= 0; i--)
        {
            Ascii(buffered, $"--n{i}--{Crlf}");
        }

        buffered.Flush();
    }

    private static void ManyParts(Stream output)
    {
        const int Parts = 100_000;
        Headers(output, "many-parts", "multipart/mixed; boundary=\"p\"");
        var buffered = new BufferedStream(output, 1 << 16);
        for (var i = 1; i < Parts; i++)
        {
            Ascii(buffered, $"--p{Crlf}Content-Type: text/plain{Crlf}{Crlf}part {i}{Crlf}");
        }

        Ascii(buffered, "--p" + Crlf);
        JsonPart(buffered, Encoding.UTF8.GetBytes(ReportJsonText(Number("many-parts"))));
        Ascii(buffered, "--p--" + Crlf);
        buffered.Flush();
    }

    private static void HugeHeader(Stream output)
    {
        const long Bytes = 10_000_000;
        var buffered = new BufferedStream(output, 1 << 16);
        Ascii(buffered, "To: ");
        long written = 4;
        for (var i = 0; written < Bytes; i++)
        {
            var address = string.Create(CultureInfo.InvariantCulture, $"user{i}@victim.example, ");
            Ascii(buffered, address);
            written += address.Length;
        }

        Ascii(buffered, "reports@playsql.example" + Crlf);
        Headers(buffered, "huge-header", "multipart/mixed; boundary=\"h\"", to: false);
        Ascii(buffered, "--h" + Crlf);
        JsonPart(buffered, Encoding.UTF8.GetBytes(ReportJsonText(Number("huge-header"))));
        Ascii(buffered, "--h--" + Crlf);
        buffered.Flush();
    }

    private static void Base64OneGigabyte(Stream output)
    {
        const long Decoded = 1L << 30;
        Headers(output, "base64-1gb", "multipart/mixed; boundary=\"g\"");
        Ascii(
            output,
            "--g" + Crlf
            + "Content-Type: application/json" + Crlf
            + "Content-Transfer-Encoding: base64" + Crlf
            + "Content-Disposition: attachment; filename=\"playsql-report.json\"" + Crlf
            + Crlf);

        // A report followed by whitespace up to 1 GiB: valid JSON, were it read whole.
        var head = Encoding.UTF8.GetBytes(ReportJsonText(Number("base64-1gb")).TrimEnd('}'));
        var spaces = new byte[1 << 20];
        spaces.AsSpan().Fill((byte)' ');
        using (var base64 = new Base64LineStream(output))
        {
            base64.Write(head);
            var remaining = Decoded - head.Length - 1;
            while (remaining > 0)
            {
                var n = (int)Math.Min(remaining, spaces.Length);
                base64.Write(spaces, 0, n);
                remaining -= n;
            }

            base64.Write("}"u8);
        }

        Ascii(output, "--g--" + Crlf);
    }

    private static void GzipBomb(Stream output)
    {
        // Gzip members of 64 MiB each, one after the other (RFC 1952 allows several; gzip -d and .NET read them all):
        // 160 of them inflate to 10 GiB. The first opens a report, the middle ones are whitespace, the last closes it.
        const int Member = 64 << 20;
        const int Members = 160;
        var head = Encoding.UTF8.GetBytes(ReportJsonText(Number("gzip-bomb-10gb")).TrimEnd('}'));
        var first = CompressedMember(head, Member - head.Length, []);
        var middle = CompressedMember([], Member, []);
        var last = CompressedMember([], Member - 1, "}"u8.ToArray());

        Headers(output, "gzip-bomb-10gb", "multipart/mixed; boundary=\"z\"");
        Ascii(
            output,
            "--z" + Crlf
            + "Content-Type: application/gzip" + Crlf
            + "Content-Transfer-Encoding: base64" + Crlf
            + "Content-Disposition: attachment; filename=\"playsql-report.json.gz\"" + Crlf
            + Crlf);
        using (var base64 = new Base64LineStream(output))
        {
            base64.Write(first);
            for (var i = 2; i < Members; i++)
            {
                base64.Write(middle);
            }

            base64.Write(last);
        }

        Ascii(output, "--z--" + Crlf);
    }

    /// <summary>One gzip member: <paramref name="head"/>, then that many spaces, then <paramref name="tail"/>, compressed as small as zlib can.</summary>
    private static byte[] CompressedMember(byte[] head, int spaces, byte[] tail)
    {
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)' ');
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(head);
            var remaining = spaces;
            while (remaining > 0)
            {
                var n = Math.Min(remaining, chunk.Length);
                gzip.Write(chunk, 0, n);
                remaining -= n;
            }

            gzip.Write(tail);
        }

        return compressed.ToArray();
    }

    private static void NestedMessages(Stream output)
    {
        const int Levels = 1_000;
        var buffered = new BufferedStream(output, 1 << 16);
        for (var i = 0; i < Levels; i++)
        {
            Headers(buffered, string.Create(CultureInfo.InvariantCulture, $"nested-rfc822-1000.{i}"), "message/rfc822");
        }

        Headers(buffered, "nested-rfc822-1000.bottom", "multipart/mixed; boundary=\"r\"");
        Ascii(buffered, "--r" + Crlf);
        JsonPart(buffered, Encoding.UTF8.GetBytes(ReportJsonText(Number("nested-rfc822-1000"))));
        Ascii(buffered, "--r--" + Crlf);
        buffered.Flush();
    }

    private static void UnknownCharsets(Stream output)
    {
        var block = Format1Block(Number("invalid-charset-unknown"));
        Headers(output, "invalid-charset-unknown", "multipart/mixed; boundary=\"c\"");
        foreach (var charset in new[] { "x-no-such-charset", "utf-7", "\"\"", new string('z', 300), "iso-8859-99" })
        {
            Ascii(output, $"--c{Crlf}Content-Type: text/plain; charset={charset}{Crlf}Content-Transfer-Encoding: 8bit{Crlf}{Crlf}");
            Ascii(output, "Usage report, caf\u00e9 ");
            output.Write([0xE9, 0xFF, 0xC3, 0x28]);
            Ascii(output, Crlf + Crlf + block + Crlf);
        }

        Ascii(output, "--c--" + Crlf);
    }

    private static void InvalidCharsetBytes(Stream output)
    {
        var block = Encoding.ASCII.GetBytes(Format1Block(Number("invalid-charset-bytes")));
        Headers(output, "invalid-charset-bytes", "multipart/mixed; boundary=\"c\"");

        // UTF-8 declared: overlong forms, lone continuation bytes, a surrogate, bytes that never appear in UTF-8.
        Ascii(output, $"--c{Crlf}Content-Type: text/plain; charset=utf-8{Crlf}Content-Transfer-Encoding: 8bit{Crlf}{Crlf}");
        output.Write([0xC0, 0xAF, 0x80, 0xBF, 0xED, 0xA0, 0x80, 0xFE, 0xFF, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x0D, 0x0A]);
        output.Write(block);

        // UTF-16 declared, ASCII given: an odd byte count and no byte order mark.
        Ascii(output, $"--c{Crlf}Content-Type: text/plain; charset=utf-16{Crlf}Content-Transfer-Encoding: 8bit{Crlf}{Crlf}");
        output.Write(block);
        output.Write("x"u8);
        Ascii(output, Crlf);

        // ISO-2022-JP declared: an escape sequence to a set that does not exist, then the block.
        Ascii(output, $"--c{Crlf}Content-Type: text/plain; charset=iso-2022-jp{Crlf}Content-Transfer-Encoding: 7bit{Crlf}{Crlf}");
        output.Write([0x1B, 0x24, 0x7A, 0x21, 0x21, 0x1B, 0x28, 0x42, 0x0D, 0x0A]);
        output.Write(block);
        Ascii(output, "--c--" + Crlf);
    }

    private static byte[] WholeReportMessage(string name)
    {
        using var message = new MemoryStream();
        Headers(message, name, "multipart/mixed; boundary=\"=_t_=\"");
        Ascii(message, "--=_t_=" + Crlf + "Content-Type: text/plain" + Crlf + Crlf + "Usage report." + Crlf + "--=_t_=" + Crlf);
        JsonPart(message, Encoding.UTF8.GetBytes(ReportJsonText(Number(name))));
        Ascii(message, "--=_t_=--" + Crlf);
        return message.ToArray();
    }

    private static void TruncatedHeader(Stream output)
    {
        var whole = WholeReportMessage("truncated-header");
        var cut = IndexOf(whole, "Content-Type: multipart/mi") + "Content-Type: multipart/mi".Length;
        output.Write(whole, 0, cut);
    }

    private static void TruncatedBoundary(Stream output)
    {
        var whole = WholeReportMessage("truncated-boundary");
        var cut = IndexOf(whole, "--=_t_=--") + "--=_t".Length;
        output.Write(whole, 0, cut);
    }

    private static void TruncatedBase64(Stream output)
    {
        var whole = WholeReportMessage("truncated-base64");
        var attachment = IndexOf(whole, "filename=\"playsql-report.json\"");
        var content = IndexOf(whole, Crlf + Crlf, attachment) + 4;
        var end = IndexOf(whole, "--=_t_=--");
        output.Write(whole, 0, content + ((end - content) / 2) + 1);
    }

    private static void NulBytes(Stream output)
    {
        var json = ReportJsonText(Number("nul-bytes")).Replace("\"kind\": \"install\"", "\"kind\": \"inst\0all\"\0", StringComparison.Ordinal);
        Headers(output, "nul-bytes", "multipart/mixed; boundary=\"0\"", "X-Nul\0Name: value\r\nX-Nul-Value: a\0b\0c\r\nComments: \0\0\0\r\n");
        Ascii(output, "--0" + Crlf + "Content-Type: text/plain; charset=\"utf-8\0\"" + Crlf + Crlf + "Usage\0report." + Crlf + "--0" + Crlf);
        Ascii(output, "Content-Type: application/json; name=\"playsql-report.json\0\"" + Crlf + "Content-Disposition: attachment; filename=\"playsql-report.json\"" + Crlf + Crlf);
        Ascii(output, json + Crlf + "--0--" + Crlf);
    }

    private static void SingleLine50Mb(Stream output)
    {
        const long Bytes = 50_000_000;
        Headers(output, "single-line-50mb", "text/plain; charset=us-ascii");
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)'a');
        var remaining = Bytes;
        while (remaining > 0)
        {
            var n = (int)Math.Min(remaining, chunk.Length);
            output.Write(chunk, 0, n);
            remaining -= n;
        }

        Ascii(output, Crlf + Crlf + Format1Block(Number("single-line-50mb")));
    }

    private static int IndexOf(byte[] haystack, string needle, int from = 0)
    {
        var index = haystack.AsSpan(from).IndexOf(Encoding.ASCII.GetBytes(needle));
        return index < 0 ? throw new InvalidOperationException($"'{needle}' not found") : from + index;
    }

    private static void Ascii(Stream output, string text) => output.Write(Encoding.Latin1.GetBytes(text));

    /// <summary>Base64 in lines of 76 characters, as MIME writes it, for data of any size fed in pieces.</summary>
    private sealed class Base64LineStream(Stream output) : Stream
    {
        private const int LineBytes = 57;
        private const int LinesPerBlock = 1024;
        private readonly byte[] pending = new byte[LineBytes * LinesPerBlock];
        private readonly byte[] encoded = new byte[(78 * LinesPerBlock) + 4];
        private readonly byte[] flat = new byte[(76 * LinesPerBlock) + 4];
        private int count;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, pending.Length - count);
                buffer[..n].CopyTo(pending.AsSpan(count));
                count += n;
                buffer = buffer[n..];
                if (count == pending.Length)
                {
                    EncodeAndWrite();
                }
            }
        }

        private void EncodeAndWrite()
        {
            Base64.EncodeToUtf8(pending.AsSpan(0, count), flat, out _, out var length);
            var written = 0;
            for (var start = 0; start < length; start += 76)
            {
                var n = Math.Min(76, length - start);
                flat.AsSpan(start, n).CopyTo(encoded.AsSpan(written));
                written += n;
                encoded[written++] = (byte)'\r';
                encoded[written++] = (byte)'\n';
            }

            output.Write(encoded, 0, written);
            count = 0;
        }

        public override void Flush() => output.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && count > 0)
            {
                EncodeAndWrite();
            }

            base.Dispose(disposing);
        }
    }
}
