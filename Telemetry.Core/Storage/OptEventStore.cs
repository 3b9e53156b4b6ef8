using Dapper;

using Microsoft.Data.Sqlite;

using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;

namespace Telemetry.Core.Storage;

/// <summary>
/// Opt-out and opt-in events, from notices and from people: the suppression list. Server IDs and event identities
/// are stored as keyed hashes only (see <see cref="Privacy.SuppressionKey"/>); lookups hash the ID they are given.
/// </summary>
public sealed class OptEventStore(SqliteConnection connection)
{
    private readonly Statements _statements = Statements.For(connection);

    public bool Exists(string eventKey, SqliteTransaction? transaction = null) =>
        _statements.Scalar("SELECT 1 FROM opt_events WHERE event_hash = server_hmac('event:' || @eventKey)", transaction, ("@eventKey", eventKey)) is not null;

    public void Insert(string eventKey, OptEvent e, string? reason, DateTimeOffset recordedAt, SqliteTransaction transaction) =>
        connection.Execute(
            """
            INSERT INTO opt_events (event_hash, server_hash, kind, generated_at, source, reason, recorded_at)
            VALUES (server_hmac('event:' || @eventKey), server_hmac('server:' || @ServerId), @Kind, @At, @Source, @reason, @recordedAt)
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

    public IReadOnlyList<OptEvent> ForServer(ServerId serverId, SqliteTransaction? transaction = null)
    {
        var result = new List<OptEvent>();
        using var reader = _statements.Bind(
            "SELECT kind, generated_at, source FROM opt_events WHERE server_hash = server_hmac('server:' || @ServerId)",
            transaction,
            ("@ServerId", serverId.Value)).ExecuteReader();
        while (reader.Read())
        {
            result.Add(new OptEvent(serverId, reader.GetString(0) == "optout", SqlTypeHandlers.FromSql(reader.GetString(1)), reader.GetString(2) == "notice" ? OptEventSource.Notice : OptEventSource.Manual));
        }

        return result;
    }

    /// <summary>The events of one instance, oldest first, as listed to people.</summary>
    public IReadOnlyList<OptEventRow> RowsForServer(ServerId serverId, SqliteTransaction? transaction = null) =>
        connection.Query<OptEventRow>(
            """
            SELECT server_hash AS ServerHash, kind AS Kind, generated_at AS At, source AS Source, reason AS Reason, recorded_at AS RecordedAt
            FROM opt_events WHERE server_hash = server_hmac('server:' || @ServerId) ORDER BY generated_at, id
            """,
            new { ServerId = serverId.Value },
            transaction).ToList();

    /// <summary>Every event, oldest first, for listings.</summary>
    public IReadOnlyList<OptEventRow> All() =>
        connection.Query<OptEventRow>(
            """
            SELECT server_hash AS ServerHash, kind AS Kind, generated_at AS At, source AS Source, reason AS Reason, recorded_at AS RecordedAt
            FROM opt_events ORDER BY generated_at, id
            """).ToList();
}

/// <summary>An opt event as listed to people: the instance appears only as its keyed hash.</summary>
public sealed record OptEventRow(string ServerHash, string Kind, DateTimeOffset At, string Source, string? Reason, DateTimeOffset RecordedAt);
