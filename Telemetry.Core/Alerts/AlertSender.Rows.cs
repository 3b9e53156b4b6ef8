using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Alerts;

/// <summary>The outbox rows the sender reads and the outcomes it records, each committed on its own.</summary>
public sealed partial class AlertSender
{
    /// <summary>Merges the pending digests not in flight, in order, into emails of at most <see cref="MaxFlagsPerEmail"/> flags; returns how many digests were merged away.</summary>
    internal int Merge(SqliteConnection connection)
    {
        var rows = connection.Query<RowData>(
            """
            SELECT id AS Id, created_at AS CreatedAt, entries AS Entries, attempts AS Attempts, last_attempt_at AS LastAttemptAt, last_error AS LastError
            FROM alert_outbox WHERE status = 'pending' AND in_flight = 0 ORDER BY created_at, id
            """).Select(r => (Row: r, Entries: JsonSerializer.Deserialize<List<AlertEntry>>(r.Entries, AlertOutbox.Json)!)).ToList();
        var groups = new List<List<(RowData Row, List<AlertEntry> Entries)>>();
        var size = 0;
        foreach (var row in rows)
        {
            if (groups.Count == 0 || size + row.Entries.Count > MaxFlagsPerEmail)
            {
                groups.Add([]);
                size = 0;
            }

            groups[^1].Add(row);
            size += row.Entries.Count;
        }

        var merging = groups.Where(g => g.Count > 1).ToList();
        if (merging.Count == 0)
        {
            return 0;
        }

        using var transaction = connection.BeginTransaction();
        foreach (var group in merging)
        {
            var attempted = group.Where(g => g.Row.LastAttemptAt is not null).OrderBy(g => g.Row.LastAttemptAt, StringComparer.Ordinal).ToList();
            AlertOutbox.Insert(
                connection,
                transaction,
                [.. group.SelectMany(g => g.Entries)],
                SqlTypeHandlers.FromSql(group[0].Row.CreatedAt),
                (int)group.Max(g => g.Row.Attempts),
                attempted.Count == 0 ? null : SqlTypeHandlers.FromSql(attempted[^1].Row.LastAttemptAt!),
                attempted.Count == 0 ? null : attempted[^1].Row.LastError);
            connection.Execute("DELETE FROM alert_outbox WHERE id IN @Ids", new { Ids = group.Select(g => g.Row.Id).ToList() }, transaction);
        }

        transaction.Commit();
        var merged = merging.Sum(g => g.Count);
        Log.DigestsMerged(logger, merged, merging.Count);
        return merged - merging.Count;
    }

    private static long SentSince(SqliteConnection connection, DateTimeOffset since) =>
        connection.ExecuteScalar<long>("SELECT count(*) FROM alert_outbox WHERE sent_at >= @Since", new { Since = SqlTypeHandlers.ToSql(since) });

    private static long CountPending(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT count(*) FROM alert_outbox WHERE status = 'pending'");

    /// <summary>The pending digests whose back-off has passed, oldest first, at most <paramref name="limit"/>.</summary>
    private static List<OutboxRow> Due(SqliteConnection connection, DateTimeOffset now, long limit) =>
        [.. connection.Query<RowData>(
            """
            SELECT id AS Id, created_at AS CreatedAt, flag_ids AS FlagIds, subject AS Subject, text_body AS TextBody, html_body AS HtmlBody,
                   attempts AS Attempts, in_flight AS InFlight, last_attempt_at AS LastAttemptAt
            FROM alert_outbox WHERE status = 'pending' ORDER BY created_at, id
            """)
            .Where(r => r.Attempts == 0 || r.LastAttemptAt is null || SqlTypeHandlers.FromSql(r.LastAttemptAt) + Backoff((int)r.Attempts) <= now)
            .Take((int)Math.Min(limit, int.MaxValue))
            .Select(r => new OutboxRow(r.Id, SqlTypeHandlers.FromSql(r.CreatedAt), JsonSerializer.Deserialize<long[]>(r.FlagIds)!.Length, r.Subject, r.TextBody, r.HtmlBody, (int)r.Attempts, r.InFlight != 0))];

    private static void MarkInFlight(SqliteConnection connection, long id, int attempt, DateTimeOffset at) =>
        connection.Execute(
            "UPDATE alert_outbox SET in_flight = 1, attempts = @attempt, last_attempt_at = @At WHERE id = @id",
            new { id, attempt, At = SqlTypeHandlers.ToSql(at) });

    private static void MarkSent(SqliteConnection connection, long id, DateTimeOffset at) =>
        connection.Execute(
            "UPDATE alert_outbox SET status = 'sent', sent_at = @At, in_flight = 0, last_error = NULL WHERE id = @id",
            new { id, At = SqlTypeHandlers.ToSql(at) });

    /// <summary>
    /// Records a refused or broken attempt. <paramref name="interruptedBefore"/>: an earlier attempt was interrupted
    /// (it may have been delivered), so the row stays in flight: sent alone, under its own Message-ID.
    /// </summary>
    private static void MarkFailed(SqliteConnection connection, long id, int attempt, DateTimeOffset at, string error, bool gaveUp, bool interruptedBefore) =>
        connection.Execute(
            "UPDATE alert_outbox SET status = @Status, attempts = @attempt, last_attempt_at = @At, last_error = @error, in_flight = @InFlight WHERE id = @id",
            new { id, attempt, At = SqlTypeHandlers.ToSql(at), error, Status = gaveUp ? "failed" : "pending", InFlight = interruptedBefore ? 1 : 0 });

    /// <summary>A digest ready to send.</summary>
    internal sealed record OutboxRow(long Id, DateTimeOffset CreatedAt, int FlagCount, string Subject, string TextBody, string HtmlBody, int Attempts, bool InFlight);

    private sealed class RowData
    {
        public long Id { get; init; }

        public string CreatedAt { get; init; } = string.Empty;

        public string Entries { get; init; } = "[]";

        public string FlagIds { get; init; } = "[]";

        public string Subject { get; init; } = string.Empty;

        public string TextBody { get; init; } = string.Empty;

        public string HtmlBody { get; init; } = string.Empty;

        public long Attempts { get; init; }

        public long InFlight { get; init; }

        public string? LastAttemptAt { get; init; }

        public string? LastError { get; init; }
    }
}
