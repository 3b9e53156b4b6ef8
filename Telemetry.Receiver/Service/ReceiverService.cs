using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Core.Configuration;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Privacy.Retention;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Receiver.Service;

/// <summary>
/// The receiver loop: a pass over the mailbox, then wait for new mail (or the safety-net interval), forever.
/// A failure is logged and recorded for <c>telemetry status</c>, and the loop backs off and goes on: it never
/// dies on a mail-server, network or disk fault. Retention runs once a day. On stop, the batch in hand is
/// committed and filed before the loop exits.
/// </summary>
public sealed class ReceiverService(TelemetryOptions options, IMailbox mailbox, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly ILogger logger = loggers.CreateLogger<ReceiverService>();

    /// <summary>One pass: ingest and file what waits, expire processed mail, run retention when a day has passed.</summary>
    public static MailboxCycle RunOnce(TelemetryOptions options, IMailbox mailbox, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var connection = TelemetryDatabase.Open(options.Database, create: true, options.KeyFile, options.Group);
        var status = new ServiceStatusStore(connection);
        try
        {
            var waiting = mailbox.CountPending(cancellationToken);
            var ingestor = new Ingestor(connection, new ReportExtractor(options.Limits), time, loggers.CreateLogger<Ingestor>())
            {
                Prefetch = mailbox.ReadsAheadWhileFiling,
            };
            var cycle = new MailboxProcessor(ingestor, mailbox, time, loggers.CreateLogger<MailboxProcessor>())
                .RunOnce(options.Limits.MaxMessageBytes, TimeSpan.FromDays(options.Mailbox.KeepProcessedDays), cancellationToken);
            using (var transaction = connection.BeginTransaction())
            {
                // The digest of new flags is written with the flags (transactional outbox), then sent after the commit.
                new Core.Health.HealthEvaluator(connection, options.Health).Record(time.GetUtcNow(), transaction);
                if (options.Alerts.Enabled)
                {
                    // New flags, and flags raised earlier by ingest or health evaluate that no email has named yet.
                    var flags = new Core.Health.HealthFlagStore(connection);
                    var unalerted = flags.NotAlerted(transaction);
                    var advice = Core.Health.HealthRules.All.ToDictionary(r => r.Id, r => r.Advice);
                    new Core.Alerts.AlertOutbox(time, Core.Alerts.AlertAdvice.With(advice)).Enqueue(unalerted, connection, transaction);
                    flags.MarkAlerted(unalerted.Select(f => f.Id), transaction);
                }

                transaction.Commit();
            }

            if (options.Alerts.Enabled)
            {
                // An SMTP outage leaves the digests pending (recorded, shown by status); they go out at a later pass.
                new Core.Alerts.AlertSender(options.Alerts, time, loggers.CreateLogger<Core.Alerts.AlertSender>()).SendPending(connection, cancellationToken);
            }

            status.CycleDone(mailbox.Description, time.GetUtcNow(), waiting);
            PurgeDaily(connection, options, status, time, loggers);
            return cycle;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status.CycleFailed(mailbox.Description, time.GetUtcNow(), OneLine(e));
            throw;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var database = Path.GetFullPath(options.Database);
        Log.Started(logger, mailbox.Description, database);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cycle = await Task.Run(() => RunOnce(options, mailbox, time, loggers, stoppingToken), stoppingToken).ConfigureAwait(false);
                failures = 0;
                LogCycle(cycle);
                var fresh = cycle.Summary.Messages - cycle.Summary.Repeats;
                if (fresh == 0 || mailbox.CountPending(stoppingToken) == 0)
                {
                    // Nothing arrived during the pass: wait for news (or the safety-net interval).
                    await mailbox.WaitForNewMailAsync(options.Mailbox.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                var delay = Backoff(failures);
                Log.CycleFailed(logger, delay, OneLine(e));
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        Log.Stopping(logger);
    }

    /// <summary>Exponential back-off with jitter: 2 s, 4 s, 8 s ... up to 5 minutes.</summary>
    public static TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 16)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private static void PurgeDaily(SqliteConnection connection, TelemetryOptions options, ServiceStatusStore status, TimeProvider time, ILoggerFactory loggers)
    {
        var now = time.GetUtcNow();
        var last = status.Read(now).LastPurgeAt;
        if (last is { } l && now - l < TimeSpan.FromDays(1))
        {
            return;
        }

        var logger = loggers.CreateLogger<ReceiverService>();
        var results = new RetentionRunner(connection, time, logger).Run(now, options.Retention, dryRun: false);
        if (results.All(r => !r.Failed))
        {
            // A failed task is tried again at the next pass, not a day later.
            status.PurgeDone(now);
        }

        var rows = string.Join("; ", results.Select(r => $"{r.Task}: {(r.Failed ? "FAILED " + r.Error : r.Rows.ToString())}"));
        Log.Retention(logger, rows);
    }

    private void LogCycle(MailboxCycle cycle)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var s = cycle.Summary;
        var elapsed = (long)s.Elapsed.TotalMilliseconds;
        Log.Cycle(logger, s.Messages, s.Accepted, s.Duplicate, s.Dropped, s.Invalid, s.Unsupported, s.NotReport, elapsed, cycle.ExpiredProcessed);
    }

    private static string OneLine(Exception e) => (e.GetType().Name + ": " + e.Message).ReplaceLineEndings(" ");
}
