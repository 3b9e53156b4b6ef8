using Dapper;

using Microsoft.Data.Sqlite;

using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;

namespace Telemetry.Core.Storage;

/// <summary>Opt-out and opt-in events, from notices and from people.</summary>
public sealed class OptEventStore(SqliteConnection connection)
{
    public bool Exists(string eventKey, SqliteTransaction? transaction = null) =>
        connection.ExecuteScalar<long?>("""SELECT 1 FROM opt_events WHERE event_key = @eventKey""", new { eventKey }, transaction) is not null;

    public void Insert(string eventKey, OptEvent e, string? reason, DateTimeOffset recordedAt, SqliteTransaction transaction) =>
        connection.Execute(
            """
            INSERT INTO opt_events (event_key, server_id, kind, generated_at, source, reason, recorded_at)
            VALUES (@eventKey, @ServerId, @Kind, @At, @Source, @reason, @recordedAt)
            """,
            new
            {
                eventKey,
                ServerId = e.ServerId.Value,
                Kind = e.IsOptOut ? "optout" : "optin",
                At = SqlTypeHandlers.ToSql(e.At),
                Source = e.Source == OptEventSource.Notice ? "notice" : "manual",
                reason,
                recordedAt = SqlTypeHandlers.ToSql(recordedAt),
            },
            transaction);

    public IReadOnlyList<OptEvent> ForServer(ServerId serverId, SqliteTransaction? transaction = null) =>
        connection.Query<(string Kind, DateTimeOffset At, string Source)>(
            """SELECT kind, generated_at, source FROM opt_events WHERE server_id = @ServerId""",
            new { ServerId = serverId.Value },
            transaction)
        .Select(r => new OptEvent(serverId, r.Kind == "optout", r.At, r.Source == "notice" ? OptEventSource.Notice : OptEventSource.Manual))
        .ToList();

    /// <summary>Every event, oldest first, for listings.</summary>
    public IReadOnlyList<OptEventRow> All() =>
        connection.Query<OptEventRow>(
            """
            SELECT server_id AS ServerId, kind AS Kind, generated_at AS At, source AS Source, reason AS Reason, recorded_at AS RecordedAt
            FROM opt_events ORDER BY generated_at, id
            """).ToList();
}

/// <summary>An opt event as listed to people.</summary>
public sealed record OptEventRow(string ServerId, string Kind, DateTimeOffset At, string Source, string? Reason, DateTimeOffset RecordedAt);
