using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using Telemetry.Core.Mailbox;
using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Ingestion;

/// <summary>
/// Turns raw messages into recorded outcomes and stored reports. Messages are processed in batches, one
/// SQLite transaction per batch: a batch's outcomes are all committed (with <c>synchronous=FULL</c>) before
/// <see cref="Ingest"/> reports them, and before any caller may touch the mailbox.
/// </summary>
public sealed class Ingestor
{
    public const int DefaultBatchSize = 500;

    /// <summary>
    /// The batch for files read without moving them (<c>telemetry ingest</c>): nothing waits on a commit there, and
    /// a larger transaction writes each page it changes fewer times (the tables keyed by hashes and identities take
    /// their rows in random places).
    /// </summary>
    public const int FilesBatchSize = 2000;

    private readonly SqliteConnection connection;
    private readonly IReportExtractor extractor;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly MessageLog messages;
    private readonly ReportStore reports;
    private readonly OptEventStore events;
    private readonly OptOutService optOuts;
    private readonly CrashGuard guard;
    private readonly Statements statements;

    public Ingestor(SqliteConnection connection, IReportExtractor extractor, TimeProvider time, ILogger<Ingestor>? logger = null)
    {
        this.connection = connection;
        this.extractor = extractor;
        this.time = time;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        messages = new MessageLog(connection);
        reports = new ReportStore(connection);
        events = new OptEventStore(connection);
        optOuts = new OptOutService(connection, time, this.logger);
        guard = new CrashGuard(connection, time);
        statements = Statements.For(connection);
    }

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// Read and parse the next messages on another thread while this one stores: for sources that may be read from
    /// another thread while ingesting (files read without moving them; a mailbox whose
    /// <see cref="IMailbox.ReadsAheadWhileFiling"/> says it serialises its fetches and its filings). At most
    /// <see cref="PrefetchMessages"/> messages and <see cref="PrefetchBytes"/> wait. Not used while the crash guard has messages go one at a time.
    /// </summary>
    public bool Prefetch { get; init; }

    /// <summary>The most bytes of messages read ahead when <see cref="Prefetch"/> is on.</summary>
    public const long PrefetchBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The most messages read ahead: enough to keep both threads busy. What waits is the message and what was found in
    /// it, often larger than the message itself, so small messages are bounded by number rather than by bytes.
    /// </summary>
    public const int PrefetchMessages = 256;

    /// <summary>The message in hand, when it was parsed ahead, with what was found in it.</summary>
    private (RawMessage Message, IReadOnlyList<ExtractedItem> Items)? prefetched;

    /// <summary>Set when an opt-out erased reports in the batch in hand: the WAL is then checkpointed after the commit.</summary>
    private bool erasedInBatch;

    /// <summary>Set when processing a message threw (as opposed to the source failing, or a stop request).</summary>
    private bool processingFailed;

    /// <summary>
    /// Processes every message, committing each batch. <paramref name="committed"/> is called after each
    /// commit with the results of that batch (this is where a mailbox may move the messages).
    /// </summary>
    public IngestSummary Ingest(
        IEnumerable<RawMessage> source,
        Action<IReadOnlyList<MessageResult>>? committed = null,
        CancellationToken cancellationToken = default)
    {
        var summary = new IngestSummary();
        var stopwatch = Stopwatch.StartNew();
        var batch = new List<MessageResult>(BatchSize);
        var careful = guard.LastRunDied() ? BatchSize : 0;
        if (Prefetch && careful == 0)
        {
            source = ReadAhead(source, cancellationToken);
        }

        SqliteTransaction? transaction = null;
        try
        {
            foreach (var message in source)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (careful > 0)
                {
                    // The last run died inside a batch: one message at a time, each attempt recorded first.
                    var one = ProcessCarefully(message);
                    Count(summary, one);
                    committed?.Invoke([one]);
                    if (--careful == 0)
                    {
                        guard.BatchDone(null);
                    }

                    continue;
                }

                if (transaction is null)
                {
                    guard.BatchStarting();
                    transaction = connection.BeginTransaction();
                }

                var result = ProcessIsolated(message, transaction);
                Count(summary, result);
                batch.Add(result);
                if (batch.Count >= BatchSize)
                {
                    guard.BatchDone(transaction);
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = null;
                    AfterCommit();
                    committed?.Invoke(batch);
                    batch = new List<MessageResult>(BatchSize);
                }
            }

            if (transaction is not null)
            {
                guard.BatchDone(transaction);
                transaction.Commit();
                transaction.Dispose();
                transaction = null;
                AfterCommit();
            }
            else if (careful > 0)
            {
                guard.BatchDone(null);
            }

            if (batch.Count > 0)
            {
                committed?.Invoke(batch);
            }
        }
        catch
        {
            // Whatever was processed before a failure of the source (an unreadable file, a lost connection) or a
            // stop request is kept, and filed. When processing a message itself failed, the in-flight marker stays:
            // the next run goes one message at a time and finds the culprit.
            if (transaction is not null && batch.Count > 0)
            {
                if (!processingFailed)
                {
                    guard.BatchDone(transaction);
                }

                transaction.Commit();
                committed?.Invoke(batch);
            }

            transaction?.Dispose();
            throw;
        }

        summary.Elapsed = stopwatch.Elapsed;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.CycleSummary(logger, summary.Messages, (long)summary.Elapsed.TotalMilliseconds, summary.Reports, summary.Accepted,
                summary.Duplicate, summary.Dropped, summary.Invalid, summary.Unsupported, summary.NotReport);
        }

        return summary;
    }

    /// <summary>
    /// One message in its own transactions, its attempt committed before it is parsed. The fourth time a message is
    /// met after killing the process three times, it is recorded as invalid and filed under Failed, and the messages
    /// after it go on.
    /// </summary>
    private MessageResult ProcessCarefully(RawMessage message)
    {
        if (guard.Attempts(message.ContentHash) >= CrashGuard.MaxAttempts)
        {
            using var setAside = connection.BeginTransaction();
            var id = messages.Begin(message.ContentHash, message.Size, time.GetUtcNow(), setAside);
            var reason = $"processing this message stopped the receiver {CrashGuard.MaxAttempts} times; it was set aside for a person";
            messages.Complete(id, [("message", Outcome.Invalid, reason)], 0, setAside);
            messages.MarkFailed(id, setAside);
            guard.Forget(message.ContentHash, setAside);
            setAside.Commit();
            Log.PoisonMessage(logger, message.Origin, CrashGuard.MaxAttempts);
            return new MessageResult(message.Origin, Outcome.Invalid, [new ItemResult("message", Outcome.Invalid, reason, false)], Repeat: false, Outcome.Invalid) { Failed = true };
        }

        guard.Attempt(message.ContentHash);
        using var transaction = connection.BeginTransaction();
        var result = ProcessIsolated(message, transaction);
        guard.Forget(message.ContentHash, transaction);
        transaction.Commit();
        AfterCommit();
        return result;
    }

    /// <summary>Erased rows must not linger in the WAL: checkpoint it into the file (secure_delete wipes the pages) and truncate it.</summary>
    private void AfterCommit()
    {
        if (erasedInBatch)
        {
            erasedInBatch = false;
            optOuts.Checkpoint();
        }
    }

    /// <summary>
    /// Processes one message inside a savepoint: if it fails half-way (a bug, a database error), none of its
    /// writes stay in the batch, so what is committed is always whole messages.
    /// </summary>
    private MessageResult ProcessIsolated(RawMessage message, SqliteTransaction transaction)
    {
        // Prepared once, like the statements of the stores (SqliteTransaction.Save would parse one each time).
        statements.Execute("SAVEPOINT message", transaction);
        try
        {
            var result = Process(message, transaction);
            statements.Execute("RELEASE SAVEPOINT message", transaction);
            return result;
        }
        catch
        {
            statements.Execute("ROLLBACK TO SAVEPOINT message", transaction);
            processingFailed = true;
            throw;
        }
    }

    /// <summary>Decides and records the outcome of one message inside <paramref name="transaction"/>.</summary>
    public MessageResult Process(RawMessage message, SqliteTransaction transaction)
    {
        var now = time.GetUtcNow();
        var known = messages.Find(message.ContentHash, transaction);
        // Set aside messages (invalid, unsupported, failed: a person may have moved one back to retry it) are
        // processed again; the crash guard sets a real poison message aside again.
        if (known is not null && known.Outcome is not ("invalid" or "unsupported" or "pending" or "failed"))
        {
            // Seen before with a final outcome: recognised before parsing, and counted as duplicates.
            messages.Touch(known.Id, now, transaction);
            var repeats = Math.Max(1, known.Reports);
            var items = Enumerable.Range(0, (int)repeats)
                .Select(_ => new ItemResult("message", Outcome.Duplicate, "the same message was processed before", known.Reports > 0))
                .ToList();
            var repeat = new MessageResult(message.Origin, Outcome.Duplicate, items, Repeat: true, Outcomes.FromWire(known.Outcome));
            LogResult(repeat);
            return repeat;
        }

        var extracted = Extract(message);

        var results = new List<ItemResult>(extracted.Count);
        var pending = new List<Report>();
        foreach (var item in extracted)
        {
            if (item.Report is { } report)
            {
                results.Add(new ItemResult(item.Source, Outcome.Accepted, null, true));
                pending.Add(report);
            }
            else
            {
                results.Add(new ItemResult(item.Source, item.Rejection!.Value, item.Reason, item.IsReport));
            }
        }

        // The message row first (reports reference it), then each report's fate, then the final outcomes.
        var reportCount = results.Count(r => r.IsReport);
        var messageId = messages.Begin(message.ContentHash, message.Size, now, transaction);
        var p = 0;
        for (var i = 0; i < results.Count; i++)
        {
            if (extracted[i].Report is null)
            {
                continue;
            }

            var (outcome, reason) = Decide(pending[p++], messageId, now, transaction);
            results[i] = results[i] with { Outcome = outcome, Reason = reason };
        }

        messages.Complete(messageId, [.. results.Select(r => (r.Source, r.Outcome, r.Reason))], reportCount, transaction);
        var combined = Outcomes.Combine(results.Select(r => r.Outcome));
        var result = new MessageResult(message.Origin, combined, results, Repeat: false, combined);
        LogResult(result);
        return result;
    }

    /// <summary>
    /// Runs the extractor; a failure inside it (a parser bug on strange mail) makes the message invalid
    /// instead of stopping the ingestion, and the messages after it go on. Running out of memory or of stack is
    /// not an outcome: it stops the pass like a crash would, and the crash guard sets the message aside after
    /// <see cref="CrashGuard.MaxAttempts"/> tries.
    /// </summary>
    private IReadOnlyList<ExtractedItem> Extract(RawMessage message)
    {
        if (prefetched is { } ahead && ReferenceEquals(ahead.Message, message))
        {
            prefetched = null;
            return ahead.Items;
        }

        return ExtractNow(message);
    }

    private IReadOnlyList<ExtractedItem> ExtractNow(RawMessage message)
    {
        if (message.Content is null)
        {
            return [extractor.TooLarge(message.Size)];
        }

        try
        {
            return extractor.Extract(message.Content);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException or InsufficientExecutionStackException))
        {
            Log.MessageFailed(logger, message.Origin, e.GetType().Name + ": " + e.Message);
            return [ExtractedItem.Message(Outcome.Invalid, "the message could not be processed (" + e.GetType().Name + "); it was set aside")];
        }
    }

    /// <summary>
    /// The messages of <paramref name="source"/>, read and parsed on another thread up to <see cref="PrefetchMessages"/>
    /// messages or <see cref="PrefetchBytes"/>
    /// ahead. A failure of the source is thrown here, in its place in the sequence; stopping early stops the reader.
    /// </summary>
    private IEnumerable<RawMessage> ReadAhead(IEnumerable<RawMessage> source, CancellationToken cancellationToken)
    {
        using var queue = new BlockingCollection<(RawMessage? Message, IReadOnlyList<ExtractedItem>? Items, ExceptionDispatchInfo? Error)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = new object();
        long queued = 0;
        var waiting = 0;
        void Read()
        {
            try
            {
                foreach (var message in source)
                {
                    lock (gate)
                    {
                        while (waiting > 0 && (queued + message.Size > PrefetchBytes || waiting >= PrefetchMessages) && !stop.IsCancellationRequested)
                        {
                            Monitor.Wait(gate, 100);
                        }

                        queued += message.Size;
                        waiting++;
                    }

                    if (stop.IsCancellationRequested)
                    {
                        break;
                    }

                    queue.Add((message, ExtractNow(message), null), CancellationToken.None);
                }
            }
            catch (Exception e)
            {
                queue.Add((null, null, ExceptionDispatchInfo.Capture(e)), CancellationToken.None);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }

        var reader = Task.Run(Read, CancellationToken.None);

        try
        {
            foreach (var (message, items, error) in queue.GetConsumingEnumerable(cancellationToken))
            {
                error?.Throw();
                lock (gate)
                {
                    queued -= message!.Size;
                    waiting--;
                    Monitor.PulseAll(gate);
                }

                prefetched = (message, items!);
                yield return message;
            }
        }
        finally
        {
            stop.Cancel();
            lock (gate)
            {
                Monitor.PulseAll(gate);
            }

            // The reader stops at its next message; what it parsed ahead is dropped, never recorded.
            foreach (var _ in queue.GetConsumingEnumerable(CancellationToken.None))
            {
            }

            reader.Wait(CancellationToken.None);
        }
    }

    private (Outcome, string?) Decide(Report report, long messageId, DateTimeOffset now, SqliteTransaction transaction)
    {
        var identity = report.Identity;
        if (report.Kind.IsNotice())
        {
            if (events.Exists(identity.Key, transaction))
            {
                return (Outcome.Duplicate, "this notice was already recorded");
            }

            if (optOuts.Record(identity.Key, new OptEvent(report.ServerId, report.Kind == ReportKind.OptOut, report.GeneratedAt, OptEventSource.Notice), null, transaction).Total > 0)
            {
                erasedInBatch = true;
            }

            return (Outcome.Accepted, null);
        }

        if (OptOutPolicy.IsSuppressed(events.ForServerInBatch(report.ServerId, transaction), report.GeneratedAt))
        {
            return (Outcome.Dropped, "the instance was opted out when this report was generated");
        }

        return reports.TryInsert(report, messageId, now, transaction) is null
            ? (Outcome.Duplicate, "this report was already stored")
            : (Outcome.Accepted, null);
    }

    private static void Count(IngestSummary summary, MessageResult result)
    {
        summary.Messages++;
        if (result.Repeat)
        {
            summary.Repeats++;
        }

        foreach (var item in result.Items)
        {
            summary.Count(item.Outcome);
            if (item.IsReport)
            {
                summary.Reports++;
            }
        }
    }

    private void LogResult(MessageResult result)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var reasons = result.Items.Where(i => i.Reason is not null && i.Outcome is Outcome.Invalid or Outcome.Unsupported or Outcome.NotReport)
            .Select(i => i.Reason).Distinct().ToList();
        var outcome = result.Outcome.ToWire();
        var reportCount = result.Items.Count(i => i.IsReport);
        var detail = reasons.Count == 0 ? string.Empty : ": " + string.Join("; ", reasons);
        Log.MessageHandled(logger, result.Origin, outcome, reportCount, detail);
    }
}
