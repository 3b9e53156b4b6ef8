namespace Telemetry.Core.Samples;

/// <summary>What kind of mail that is not a report a noise message is.</summary>
internal enum NoiseKind : byte
{
    None,
    Bounce,
    AutoReply,
    Human,
    Spam,
}

[Flags]
internal enum MessageFlags : byte
{
    None = 0,
    Late = 1,
    Resend = 2,
    Copy = 4,
    Backlog = 8,
}

/// <summary>
/// One email of the plan: which reports it carries (indices into the plan, -1 for none) or which noise it is.
/// Rendering depends only on these fields, so a copy with the same fields gives the same bytes.
/// <c>ReceivedAt</c> is when the vendor's server received it (the Received header; a copy keeps the original's);
/// <c>ArrivesAt</c> is when it lands in the inbox, which orders delivery (a copy arrives later).
/// </summary>
internal readonly record struct PlannedMessage(
    int First,
    int Second,
    NoiseKind Noise,
    DateTimeOffset SentAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ArrivesAt,
    int RenderSeed,
    MessageFlags Flags,
    int Sequence);
