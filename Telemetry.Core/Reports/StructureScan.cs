using MimeKit;

namespace Telemetry.Core.Reports;

/// <summary>
/// A first pass over a message with MimeKit's event reader, before the message is built: it counts parts and nesting
/// the way the walk over the built message does, and the bytes of each header, and stops at the first limit broken.
/// Building the tree of a message of 100,000 parts takes seconds and hundreds of MB. MimeKit's time to read one
/// header field grows faster than its length (1 MB about half a second, 4 MB several seconds, a 10 MB <c>To:</c>
/// took a minute), so a header is cut off while it is being read, not after.
/// </summary>
internal sealed class StructureScan : MimeReader
{
    /// <summary>How far MimeKit may have read past what it parsed: one block and its read-ahead.</summary>
    private const int ReadSlack = 4096 + 128;

    private readonly ExtractionLimits limits;
    private readonly GuardedStream input;
    private int parts;
    private int depth;
    private long headerBytes;

    private StructureScan(ParserOptions options, GuardedStream input, ExtractionLimits limits, int parts, int depth)
        : base(options, input, MimeFormat.Entity)
    {
        this.input = input;
        this.limits = limits;
        this.parts = parts;
        this.depth = depth;
    }

    /// <summary>
    /// Reads the message in <paramref name="stream"/>, which sits at <paramref name="depth"/> (0 for a message on its
    /// own) in a message that already has <paramref name="parts"/> parts. Throws <see cref="StructureLimitException"/>
    /// at the first limit broken. A message MimeKit cannot read at all is left to the parser that builds it, which
    /// says why.
    /// </summary>
    public static void Check(ParserOptions options, ExtractionLimits limits, Stream stream, int parts = 0, int depth = 0)
    {
        using var guarded = new GuardedStream(stream, limits);
        var scan = new StructureScan(options, guarded, limits, parts, depth);
        try
        {
            scan.ReadMessage(CancellationToken.None);
        }
        catch (FormatException)
        {
        }
    }

    protected override void OnHeadersBegin(long beginOffset, int beginLineNumber, CancellationToken cancellationToken)
    {
        headerBytes = 0;
        input.HeaderStart = beginOffset;
    }

    protected override void OnHeadersEnd(long beginOffset, int beginLineNumber, long headersEndOffset, int lines, CancellationToken cancellationToken) =>
        input.HeaderStart = null;

    protected override void OnHeaderRead(Header header, int beginLineNumber, CancellationToken cancellationToken)
    {
        // The field name, the colon, and the raw value with its folding and line end.
        headerBytes += header.RawField.Length + 1 + header.RawValue.Length;
        if (headerBytes > limits.MaxHeaderBytes)
        {
            throw StructureLimitException.Headers(limits);
        }
    }

    protected override void OnMultipartBegin(ContentType contentType, long beginOffset, int beginLineNumber, CancellationToken cancellationToken) =>
        Enter();

    protected override void OnMultipartEnd(ContentType contentType, long beginOffset, int beginLineNumber, long headersEndOffset, long endOffset, int lines, CancellationToken cancellationToken) =>
        depth--;

    protected override void OnMessagePartBegin(ContentType contentType, long beginOffset, int beginLineNumber, CancellationToken cancellationToken) =>
        Enter();

    protected override void OnMessagePartEnd(ContentType contentType, long beginOffset, int beginLineNumber, long headersEndOffset, long endOffset, int lines, CancellationToken cancellationToken) =>
        depth--;

    protected override void OnMimePartBegin(ContentType contentType, long beginOffset, int beginLineNumber, CancellationToken cancellationToken)
    {
        Enter();
        if (contentType.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            // The reader stopped descending here: its own nesting limit was reached.
            throw StructureLimitException.Depth(limits);
        }
    }

    protected override void OnMimePartEnd(ContentType contentType, long beginOffset, int beginLineNumber, long headersEndOffset, long endOffset, int lines, CancellationToken cancellationToken) =>
        depth--;

    private void Enter()
    {
        if (++parts > limits.MaxParts)
        {
            throw StructureLimitException.Parts(limits);
        }

        if (++depth > limits.MaxDepth)
        {
            throw StructureLimitException.Depth(limits);
        }
    }

    /// <summary>
    /// The message as the reader sees it. While the reader is inside a header and asks for more, everything it was
    /// given since the header began is header (but for one block read ahead): past the limit, reading stops there.
    /// </summary>
    private sealed class GuardedStream(Stream inner, ExtractionLimits limits) : Stream
    {
        private long position;

        public long? HeaderStart { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (HeaderStart is { } start && position - start > limits.MaxHeaderBytes + ReadSlack)
            {
                throw StructureLimitException.Headers(limits);
            }

            var read = inner.Read(buffer);
            position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A message over a structural limit: invalid as a whole, with the limit it broke.</summary>
internal sealed class StructureLimitException(string message) : Exception(message)
{
    public static StructureLimitException Parts(ExtractionLimits limits) =>
        new($"the message has more than {limits.MaxParts} MIME parts (limit MaxParts)");

    public static StructureLimitException Depth(ExtractionLimits limits) =>
        new($"the message nests parts more than {limits.MaxDepth} levels deep (limit MaxDepth)");

    public static StructureLimitException Headers(ExtractionLimits limits) =>
        new($"a header of the message is over {ReportExtractor.Mib(limits.MaxHeaderBytes)} (limit MaxHeaderBytes)");
}
