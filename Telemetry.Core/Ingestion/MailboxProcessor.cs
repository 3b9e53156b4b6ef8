using Microsoft.Extensions.Logging;
using Telemetry.Core.Mailbox;

namespace Telemetry.Core.Ingestion;

/// <summary>
/// One pass over a mailbox: every waiting message is ingested, and each committed batch is then filed (processed,
/// set aside, or deleted when every report in it was dropped by an opt-out). Store first, then move: a crash
/// between the two only means a message is read again and recognised by its hash. Processed mail older than the
/// configured number of days is then deleted: the database holds what is needed.
/// </summary>
public sealed class MailboxProcessor(Ingestor ingestor, IMailbox mailbox, TimeProvider time, ILogger logger)
{
    public const int DefaultKeepProcessedDays = 30;

    public MailboxCycle RunOnce(long maxMessageBytes, TimeSpan? keepProcessed, CancellationToken cancellationToken)
    {
        var filed = new Dictionary<MailboxFolder, long>();
        var summary = ingestor.Ingest(
            mailbox.Pending(maxMessageBytes, cancellationToken),
            batch =>
            {
                var moves = batch.Select(r => (r.Origin, r.Failed ? MailboxFolder.Failed : MailboxFolders.For(r.Recorded))).ToList();
                // Filing what was committed is finished even when a stop was requested: it takes milliseconds, and
                // a message left behind would only be read again.
                mailbox.File(moves, CancellationToken.None);
                foreach (var (_, folder) in moves)
                {
                    filed[folder] = filed.GetValueOrDefault(folder) + 1;
                }
            },
            cancellationToken);

        var expired = keepProcessed is { } keep ? mailbox.DeleteProcessedBefore(time.GetUtcNow() - keep, cancellationToken) : 0;
        if (expired > 0)
        {
            Log.ProcessedMailExpired(logger, expired, mailbox.Description);
        }

        return new MailboxCycle(summary, filed, expired);
    }
}

/// <summary>What one pass over a mailbox did.</summary>
public sealed record MailboxCycle(IngestSummary Summary, IReadOnlyDictionary<MailboxFolder, long> Filed, int ExpiredProcessed);
