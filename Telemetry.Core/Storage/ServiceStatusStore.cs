using Dapper;
using Microsoft.Data.Sqlite;

namespace Telemetry.Core.Storage;

/// <summary>What the receiver service last did, kept in the database so <c>telemetry status</c> can tell.</summary>
public sealed class ServiceStatusStore(SqliteConnection connection)
{
    public void CycleDone(string mailbox, DateTimeOffset at, long waiting) =>
        connection.Execute(
            "UPDATE service_status SET mailbox = @mailbox, last_cycle_at = @At, last_success_at = @At, waiting = @waiting WHERE id = 1",
            new { mailbox, At = SqlTypeHandlers.ToSql(at), waiting });

    public void CycleFailed(string mailbox, DateTimeOffset at, string error) =>
        connection.Execute(
            "UPDATE service_status SET mailbox = @mailbox, last_cycle_at = @At, last_error = @error, last_error_at = @At WHERE id = 1",
            new { mailbox, At = SqlTypeHandlers.ToSql(at), error });

    public void PurgeDone(DateTimeOffset at) =>
        connection.Execute("UPDATE service_status SET last_purge_at = @At WHERE id = 1", new { At = SqlTypeHandlers.ToSql(at) });

    public ServiceStatus Read(DateTimeOffset now)
    {
        var row = connection.QuerySingle<ServiceStatusRow>(
            """
            SELECT mailbox AS Mailbox, last_cycle_at AS LastCycleAt, last_success_at AS LastSuccessAt, waiting AS Waiting,
                   last_error AS LastError, last_error_at AS LastErrorAt, last_purge_at AS LastPurgeAt
            FROM service_status WHERE id = 1
            """);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var counts = connection.Query<(string Outcome, long Count)>(
            """
            SELECT i.outcome, count(*) FROM message_items i JOIN messages m ON m.id = i.message_id
            WHERE m.last_seen_at >= @Today GROUP BY i.outcome ORDER BY i.outcome
            """,
            new { Today = SqlTypeHandlers.ToSql(today) }).ToDictionary(c => c.Outcome, c => c.Count);
        return new ServiceStatus(row.Mailbox, Parse(row.LastCycleAt), Parse(row.LastSuccessAt), row.Waiting, row.LastError, Parse(row.LastErrorAt), Parse(row.LastPurgeAt), counts);
    }

    private static DateTimeOffset? Parse(string? text) => text is null ? null : SqlTypeHandlers.FromSql(text);

    private sealed record ServiceStatusRow(string? Mailbox, string? LastCycleAt, string? LastSuccessAt, long? Waiting, string? LastError, string? LastErrorAt, string? LastPurgeAt);
}

/// <summary>What the service last did, and the outcomes of the messages seen today (UTC).</summary>
public sealed record ServiceStatus(
    string? Mailbox,
    DateTimeOffset? LastCycleAt,
    DateTimeOffset? LastSuccessAt,
    long? Waiting,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastPurgeAt,
    IReadOnlyDictionary<string, long> OutcomesToday);
