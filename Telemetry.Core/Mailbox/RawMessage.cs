namespace Telemetry.Core.Mailbox;

/// <summary>
/// One message as read from a source: its bytes (absent when it is over the size limit), its size and
/// the SHA-256 of its content with line ends normalised, so the same mail read from a Maildir, an mbox
/// or an IMAP server has the same hash.
/// </summary>
/// <param name="Origin">Where it came from, for people and logs: a file path, or "path@offset" for a message of an mbox file.</param>
public sealed record RawMessage(string Origin, byte[]? Content, long Size, byte[] ContentHash);
