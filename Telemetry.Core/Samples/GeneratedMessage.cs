namespace Telemetry.Core.Samples;

/// <summary>
/// One generated email as it lands in the inbox, with what a receiver processing the corpus in order must decide for it.
/// </summary>
/// <param name="Name">A short file-safe description, such as <c>monthly-B1TW-5NYH-B6LE-ZMQS-2026-10-late</c>.</param>
/// <param name="Content">The raw RFC 5322 bytes.</param>
/// <param name="Expected">One item per report in the message, in MIME order; a single <c>not-a-report</c> item when there is none.</param>
public sealed record GeneratedMessage(string Name, byte[] Content, IReadOnlyList<ExpectedItem> Expected)
{
    /// <summary>When the message reached the inbox in the simulation (used for mbox separators and Maildir file times).</summary>
    public DateTimeOffset? ArrivedAt { get; init; }
}
