using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Ingestion;

/// <summary>
/// Remembers, durably, that a batch is in progress, and how often a message was attempted in careful mode, so a
/// message that kills the process (a stack overflow .NET cannot catch) is found and set aside after a few tries
/// instead of killing the receiver forever.
/// </summary>
internal sealed class CrashGuard(SqliteConnection connection, TimeProvider time)
{
    public const int MaxAttempts = 3;
    private const string Marker = "batch_in_flight";

    public bool LastRunDied() =>
        connection.ExecuteScalar<long>("SELECT count(*) FROM settings WHERE name = @Marker", new { Marker }) > 0;

    /// <summary>Marks a batch as started, in its own committed transaction.</summary>
    public void BatchStarting()
    {
        connection.Execute(
            "INSERT INTO settings (name, value) VALUES (@Marker, @At) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            new { Marker, At = SqlTypeHandlers.ToSql(time.GetUtcNow()) });
    }

    /// <summary>Clears the marker, inside the transaction that commits the batch.</summary>
    public void BatchDone(SqliteTransaction? transaction) =>
        connection.Execute("DELETE FROM settings WHERE name = @Marker", new { Marker }, transaction);

    /// <summary>Records one more attempt at a message (committed before it is parsed); returns the attempts so far, this one included.</summary>
    public long Attempt(byte[] contentHash) =>
        connection.ExecuteScalar<long>(
            """
            INSERT INTO processing_attempts (content_hash, attempts, last_attempt_at) VALUES (@contentHash, 1, @At)
            ON CONFLICT (content_hash) DO UPDATE SET attempts = attempts + 1, last_attempt_at = excluded.last_attempt_at
            RETURNING attempts
            """,
            new { contentHash, At = SqlTypeHandlers.ToSql(time.GetUtcNow()) });

    public long Attempts(byte[] contentHash) =>
        connection.ExecuteScalar<long?>("SELECT attempts FROM processing_attempts WHERE content_hash = @contentHash", new { contentHash }) ?? 0;

    public void Forget(byte[] contentHash, SqliteTransaction transaction) =>
        connection.Execute("DELETE FROM processing_attempts WHERE content_hash = @contentHash", new { contentHash }, transaction);
}
