using System.ComponentModel.DataAnnotations;

namespace Telemetry.Core.Reports;

/// <summary>Bounds that keep hostile mail from exhausting memory or the stack.</summary>
public sealed record ExtractionLimits
{
    public const long DefaultMaxMessageBytes = 25L * 1024 * 1024;
    public const long DefaultMaxAttachmentBytes = 16L * 1024 * 1024;
    public const int DefaultMaxParts = 500;
    public const int DefaultMaxDepth = 10;

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

    public static ExtractionLimits Default { get; } = new();
}
