using Dapper;

using Microsoft.Data.Sqlite;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Storage;

/// <summary>Every message seen, by content hash, with its outcome: how a re-ingested message is recognised before parsing.</summary>
public sealed class MessageLog(SqliteConnection connection)
{
    private readonly Statements _statements = Statements.For(connection);

    public KnownMessage? Find(byte[] contentHash, SqliteTransaction? transaction = null)
    {
        using var reader = _statements.Query(
            "SELECT id, outcome, reports FROM messages WHERE content_hash = @contentHash", transaction, ("@contentHash", contentHash));
        return reader.Read() ? new KnownMessage(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : null;
    }

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
        (long)_statements.Scalar(
            """
            INSERT INTO messages (content_hash, outcome, reports, size_bytes, first_seen_at, last_seen_at)
            VALUES (@contentHash, 'pending', 0, @size, @now, @now)
            ON CONFLICT (content_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at, times_seen = times_seen + 1
            RETURNING id
            """,
            transaction,
            ("@contentHash", contentHash),
            ("@size", size),
            ("@now", SqlTypeHandlers.ToSql(now)))!;

    /// <summary>Marks a message set aside after it stopped the receiver: it is never parsed again.</summary>
    public void MarkFailed(long id, SqliteTransaction transaction) =>
        connection.Execute("UPDATE messages SET outcome = 'failed' WHERE id = @id", new { id }, transaction);

    /// <summary>Records the outcome of each item of a message and the combined outcome that decides its filing.</summary>
    public void Complete(long id, IReadOnlyList<(string Source, Outcome Outcome, string? Reason)> items, int reports, SqliteTransaction transaction)
    {
        var combined = Outcomes.Combine(items.Select(i => i.Outcome));
        var reason = items.FirstOrDefault(i => i.Reason is not null).Reason;
        _statements.Execute(
            "UPDATE messages SET outcome = @Outcome, reason = @reason, reports = @reports WHERE id = @id",
            transaction,
            ("@Outcome", combined.ToWire()),
            ("@reason", reason),
            ("@reports", reports),
            ("@id", id));
        _statements.Execute("DELETE FROM message_items WHERE message_id = @id", transaction, ("@id", id));
        _statements.InsertRows(InsertItems, items, transaction, (item, index, values) =>
        {
            values[0] = id;
            values[1] = index + 1;
            values[2] = item.Source;
            values[3] = item.Outcome.ToWire();
            values[4] = item.Reason;
        });
    }

    private static readonly RowInsert InsertItems = new("INSERT INTO message_items (message_id, seq, source, outcome, reason)", 5);
}

/// <summary>A message already recorded.</summary>
public sealed record KnownMessage(long Id, string Outcome, long Reports);
