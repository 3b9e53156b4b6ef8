using Dapper;

using Microsoft.Data.Sqlite;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Storage;

/// <summary>Every message seen, by content hash, with its outcome: how a re-ingested message is recognised before parsing.</summary>
public sealed class MessageLog(SqliteConnection connection)
{
    public KnownMessage? Find(byte[] contentHash, SqliteTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<KnownMessage>(
            """SELECT id AS Id, outcome AS Outcome, reports AS Reports FROM messages WHERE content_hash = @contentHash""",
            new { contentHash },
            transaction);

    /// <summary>Records a message seen again without being parsed again.</summary>
    public void Touch(long id, DateTimeOffset now, SqliteTransaction transaction) =>
        connection.Execute(
            """UPDATE messages SET last_seen_at = @now, times_seen = times_seen + 1 WHERE id = @id""",
            new { id, now = SqlTypeHandlers.ToSql(now) },
            transaction);

    /// <summary>
    /// Creates the record of a message about to be decided (or, for one processed again, counts the new sighting).
    /// Its outcome is filled in by <see cref="Complete"/> in the same transaction.
    /// </summary>
    public long Begin(byte[] contentHash, long size, DateTimeOffset now, SqliteTransaction transaction) =>
        connection.ExecuteScalar<long>(
            """
            INSERT INTO messages (content_hash, outcome, reports, size_bytes, first_seen_at, last_seen_at)
            VALUES (@contentHash, 'pending', 0, @size, @now, @now)
            ON CONFLICT (content_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at, times_seen = times_seen + 1
            RETURNING id
            """,
            new { contentHash, size, now = SqlTypeHandlers.ToSql(now) },
            transaction);

    /// <summary>Marks a message set aside after it stopped the receiver: it is never parsed again.</summary>
    public void MarkFailed(long id, SqliteTransaction transaction) =>
        connection.Execute("UPDATE messages SET outcome = 'failed' WHERE id = @id", new { id }, transaction);

    /// <summary>Records the outcome of each item of a message and the combined outcome that decides its filing.</summary>
    public void Complete(long id, IReadOnlyList<(string Source, Outcome Outcome, string? Reason)> items, int reports, SqliteTransaction transaction)
    {
        var combined = Outcomes.Combine(items.Select(i => i.Outcome));
        var reason = items.FirstOrDefault(i => i.Reason is not null).Reason;
        connection.Execute(
            """UPDATE messages SET outcome = @Outcome, reason = @reason, reports = @reports WHERE id = @id""",
            new { id, Outcome = combined.ToWire(), reason, reports },
            transaction);
        connection.Execute("""DELETE FROM message_items WHERE message_id = @id""", new { id }, transaction);
        connection.Execute(
            """INSERT INTO message_items (message_id, seq, source, outcome, reason) VALUES (@id, @Seq, @Source, @Outcome, @Reason)""",
            items.Select((item, i) => new { id, Seq = i + 1, item.Source, Outcome = item.Outcome.ToWire(), item.Reason }),
            transaction);
    }
}

/// <summary>A message already recorded.</summary>
public sealed record KnownMessage(long Id, string Outcome, long Reports);
