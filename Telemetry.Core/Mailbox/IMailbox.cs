namespace Telemetry.Core.Mailbox;

/// <summary>
/// A mailbox the receiver reads and files: a Maildir, a folder of .eml files, later an IMAP server. Messages are
/// identified by an opaque key (their <see cref="RawMessage.Origin"/>); server quirks stay inside each backend.
/// Filing happens only after the outcomes are committed to the database.
/// </summary>
public interface IMailbox
{
    /// <summary>For people and logs: "Maildir /srv/mail".</summary>
    string Description { get; }

    /// <summary>The messages waiting in the inbox, in a stable order.</summary>
    IEnumerable<RawMessage> Pending(long maxMessageBytes, CancellationToken cancellationToken);

    /// <summary>Moves each message to its folder, or deletes it; a message already gone is skipped.</summary>
    void File(IReadOnlyList<(string Key, MailboxFolder Folder)> messages, CancellationToken cancellationToken);

    /// <summary>Deletes messages filed as processed before <paramref name="cutoff"/>; returns how many went.</summary>
    int DeleteProcessedBefore(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>How many messages wait in the inbox.</summary>
    int CountPending(CancellationToken cancellationToken);

    /// <summary>
    /// True when <see cref="Pending"/> may be read on another thread while <see cref="File"/> files what was already
    /// committed (the backend serialises its own use): ingestion then fetches and parses ahead of the storing.
    /// </summary>
    bool ReadsAheadWhileFiling => false;

    /// <summary>Waits until new mail may have arrived, or <paramref name="timeout"/> passed; true when something arrived.</summary>
    Task<bool> WaitForNewMailAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Where a message goes once its outcome is committed.</summary>
public enum MailboxFolder
{
    Processed,
    Invalid,
    Unsupported,
    Ignored,
    Failed,

    /// <summary>Removed from the mailbox: every report in it was dropped because of an opt-out.</summary>
    Delete,
}
