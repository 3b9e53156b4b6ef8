namespace Telemetry.Core.Mailbox;

/// <summary>
/// A mailbox whose files must not change (a folder without AllowModify): messages are read, never moved or
/// deleted; a message read again is recognised by its content hash and stored nothing twice.
/// </summary>
public sealed class ReadOnlyMailbox(IMailbox inner) : IMailbox
{
    public string Description => inner.Description + " (read only)";

    public IEnumerable<RawMessage> Pending(long maxMessageBytes, CancellationToken cancellationToken) => inner.Pending(maxMessageBytes, cancellationToken);

    public void File(IReadOnlyList<(string Key, MailboxFolder Folder)> messages, CancellationToken cancellationToken)
    {
    }

    public int DeleteProcessedBefore(DateTimeOffset cutoff, CancellationToken cancellationToken) => 0;

    public int CountPending(CancellationToken cancellationToken) => inner.CountPending(cancellationToken);

    public Task<bool> WaitForNewMailAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.WaitForNewMailAsync(timeout, cancellationToken);
}
