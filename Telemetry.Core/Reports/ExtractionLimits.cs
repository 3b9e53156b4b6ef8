using System.ComponentModel.DataAnnotations;

namespace Telemetry.Core.Reports;

/// <summary>Bounds that keep hostile mail from exhausting memory or the stack.</summary>
public sealed record ExtractionLimits
{
    public const long DefaultMaxMessageBytes = 25L * 1024 * 1024;
    public const long DefaultMaxAttachmentBytes = 16L * 1024 * 1024;
    public const int DefaultMaxParts = 500;
    public const int DefaultMaxDepth = 10;
    public const long DefaultMaxHeaderBytes = 256L * 1024;

    /// <summary>A message larger than this is not parsed at all.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The most bytes a report attachment may decode (and decompress) to; enforced while streaming.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxAttachmentBytes { get; init; } = DefaultMaxAttachmentBytes;

    /// <summary>The most MIME parts a message may have.</summary>
    [Range(1, 100_000)]
    public int MaxParts { get; init; } = DefaultMaxParts;

    /// <summary>The deepest nesting of multiparts and attached messages.</summary>
    [Range(2, 64)]
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>
    /// The most bytes the header of the message, of one of its parts or of an attached message may take; checked while
    /// the header is read, before the message is built (MimeKit's time to read a header field grows faster than its
    /// length: about half a second for 1 MB, a minute for 10 MB).
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxHeaderBytes { get; init; } = DefaultMaxHeaderBytes;

    public static ExtractionLimits Default { get; } = new();
}
