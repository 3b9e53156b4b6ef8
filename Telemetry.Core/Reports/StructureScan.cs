using MimeKit;

namespace Telemetry.Core.Reports;

/// <summary>
/// A first pass over a message with MimeKit's event reader, before the message is built: it counts parts and nesting
/// the way the walk over the built message does, and stops at the first limit broken. Building the tree of a message
/// of 100,000 parts takes seconds and hundreds of MB; this pass builds nothing.
/// </summary>
internal sealed class StructureScan : MimeReader
{
    private readonly ExtractionLimits limits;
    private int parts;
    private int depth;

    private StructureScan(ParserOptions options, Stream stream, ExtractionLimits limits, int parts, int depth)
        : base(options, stream, MimeFormat.Entity)
    {
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
        var scan = new StructureScan(options, stream, limits, parts, depth);
        try
        {
            scan.ReadMessage(CancellationToken.None);
        }
        catch (FormatException)
        {
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
}

/// <summary>A message over a structural limit: invalid as a whole, with the limit it broke.</summary>
internal sealed class StructureLimitException(string message) : Exception(message)
{
    public static StructureLimitException Parts(ExtractionLimits limits) =>
        new($"the message has more than {limits.MaxParts} MIME parts (limit MaxParts)");

    public static StructureLimitException Depth(ExtractionLimits limits) =>
        new($"the message nests parts more than {limits.MaxDepth} levels deep (limit MaxDepth)");
}
