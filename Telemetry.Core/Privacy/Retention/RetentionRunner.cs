using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>
/// Runs every retention task, each in its own transaction: one failing is reported and does not stop the others.
/// A dry run does the same work and rolls each task back, so its counts are exactly what a real run would delete.
/// Running it twice deletes nothing the second time.
/// </summary>
public sealed class RetentionRunner(SqliteConnection connection, TimeProvider time, ILogger logger)
{
    public static IReadOnlyList<IRetentionTask> DefaultTasks { get; } =
    [
        new ExpiredReportsTask(),
        new ExpiredOptEventsTask(),
        new ExpiredMessagesTask(),
        new ExpiredAuditTask(),
        new ExpiredAlertsTask(),
    ];

    public IReadOnlyList<RetentionTaskResult> Run(DateTimeOffset now, RetentionOptions options, bool dryRun, IReadOnlyList<IRetentionTask>? tasks = null)
    {
        var context = new RetentionContext(connection, now, options);
        var results = new List<RetentionTaskResult>();
        foreach (var task in tasks ?? DefaultTasks)
        {
            using var transaction = connection.BeginTransaction();
            try
            {
                var result = task.Run(context, transaction);
                if (dryRun)
                {
                    transaction.Rollback();
                }
                else
                {
                    transaction.Commit();
                }

                results.Add(result);
                var rows = result.Rows.ToString();
                Log.RetentionTask(logger, task.Name, dryRun, rows, result.Instances);
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException or FormatException)
            {
                transaction.Rollback();
                results.Add(new RetentionTaskResult(task.Name, new TableCounts(), 0, e.Message));
                Log.RetentionTaskFailed(logger, task.Name, e.Message);
            }
        }

        if (!dryRun)
        {
            var total = new TableCounts();
            foreach (var r in results)
            {
                total.Add(r.Rows);
            }

            new AuditLog(connection, time).Append(
                AuditAction.Purge,
                null,
                $"as of {now.UtcDateTime:yyyy-MM-dd}: {total}" + (results.Any(r => r.Failed) ? "; failed: " + string.Join(", ", results.Where(r => r.Failed).Select(r => r.Task)) : string.Empty));
            TelemetryDatabase.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        return results;
    }
}
