using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy;

/// <summary>What the audit log records.</summary>
public enum AuditAction
{
    OptOut,
    OptIn,
    Forget,
    Export,
    Hold,
    Release,
    Purge,
}

/// <summary>
/// The append-only audit log, in the database: when, what, by which operating-system user, with the instance
/// as a keyed hash. The table refuses updates; entries only leave it through retention.
/// </summary>
public sealed class AuditLog(SqliteConnection connection, TimeProvider time)
{
    public static string Word(AuditAction action) => action switch
    {
        AuditAction.OptOut => "optout",
        AuditAction.OptIn => "optin",
        AuditAction.Forget => "forget",
        AuditAction.Export => "export",
        AuditAction.Hold => "hold",
        AuditAction.Release => "release",
        AuditAction.Purge => "purge",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public void Append(AuditAction action, ServerId? serverId, string? details, SqliteTransaction? transaction = null) =>
        connection.Execute(
            """
            INSERT INTO audit_log (at, action, server_hash, os_user, details)
            VALUES (@At, @Action, CASE WHEN @ServerId IS NULL THEN NULL ELSE server_hmac('server:' || @ServerId) END, @User, @details)
            """,
            new { At = SqlTypeHandlers.ToSql(time.GetUtcNow()), Action = Word(action), ServerId = serverId?.Value, User = Environment.UserName, details },
            transaction);

    public IReadOnlyList<AuditEntry> Since(DateTimeOffset? since) =>
        connection.Query<AuditEntry>(
            """
            SELECT id AS Id, at AS At, action AS Action, server_hash AS ServerHash, os_user AS OsUser, details AS Details
            FROM audit_log WHERE @Since IS NULL OR at >= @Since ORDER BY at, id
            """,
            new { Since = SqlTypeHandlers.ToSql(since) }).ToList();
}

/// <summary>One entry of the audit log.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Action, string? ServerHash, string OsUser, string? Details);
