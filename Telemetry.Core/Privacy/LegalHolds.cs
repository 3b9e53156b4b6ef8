using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy;

/// <summary>Legal holds: an instance under hold is never purged by retention nor erased by <c>instance forget</c>.</summary>
public sealed class LegalHolds(SqliteConnection connection, TimeProvider time)
{
    private readonly AuditLog audit = new(connection, time);

    public LegalHold? Find(ServerId serverId, SqliteTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<LegalHold>(
            """SELECT reason AS Reason, since AS Since, os_user AS OsUser FROM legal_holds WHERE server_hash = server_hmac('server:' || @Id)""",
            new { Id = serverId.Value },
            transaction);

    /// <summary>Puts an instance under hold; returns false when it already was.</summary>
    public bool Hold(ServerId serverId, string reason)
    {
        using var transaction = connection.BeginTransaction();
        var added = connection.Execute(
            """
            INSERT INTO legal_holds (server_hash, reason, since, os_user)
            VALUES (server_hmac('server:' || @Id), @reason, @Since, @User)
            ON CONFLICT (server_hash) DO NOTHING
            """,
            new { Id = serverId.Value, reason, Since = SqlTypeHandlers.ToSql(time.GetUtcNow()), User = Environment.UserName },
            transaction) == 1;
        if (added)
        {
            audit.Append(AuditAction.Hold, serverId, reason, transaction);
        }

        transaction.Commit();
        return added;
    }

    /// <summary>
    /// Releases a hold; returns false when there was none. What an opt-out suppressed while the hold stood is
    /// erased now.
    /// </summary>
    public bool Release(ServerId serverId, string? reason)
    {
        using var transaction = connection.BeginTransaction();
        var removed = connection.Execute(
            """DELETE FROM legal_holds WHERE server_hash = server_hmac('server:' || @Id)""",
            new { Id = serverId.Value },
            transaction) == 1;
        var erased = new TableCounts();
        if (removed)
        {
            audit.Append(AuditAction.Release, serverId, reason, transaction);
            erased = new OptOutService(connection, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).EraseSuppressed(serverId, transaction);
        }

        transaction.Commit();
        if (erased.Total > 0)
        {
            Storage.TelemetryDatabase.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        return removed;
    }
}

/// <summary>A legal hold on one instance.</summary>
public sealed record LegalHold(string Reason, DateTimeOffset Since, string OsUser);
