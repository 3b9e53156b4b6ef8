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

    /// <summary>The key behind <c>server_hmac</c>, when the connection was opened by <see cref="TelemetryDatabase"/>.</summary>
    private readonly SuppressionKey? _key = TelemetryDatabase.KeyOf(connection);

    /// <summary>The instances named by events, shared by every store on the connection (an insert by any clears it).</summary>
    private readonly Named _named = NamedInBatch.GetOrCreateValue(connection);

    public bool Exists(string eventKey, SqliteTransaction? transaction = null) =>
        _statements.Scalar("SELECT 1 FROM opt_events WHERE event_hash = server_hmac('event:' || @eventKey)", transaction, ("@eventKey", eventKey)) is not null;

    public void Insert(string eventKey, OptEvent e, string? reason, DateTimeOffset recordedAt, SqliteTransaction transaction)
    {
        _named.Hashes = null;

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
    }

    /// <summary>
    /// The events of one instance, like <see cref="ForServer"/>, for a transaction that checks many reports: the
    /// keyed hashes of the instances named by any event are read once per transaction (a writing transaction sees no
    /// other writer's events), so that an instance without events, the usual case, costs no lookup.
    /// </summary>
    public IReadOnlyList<OptEvent> ForServerInBatch(ServerId serverId, SqliteTransaction transaction)
    {
        if (_key is not { } key)
        {
            return ForServer(serverId, transaction);
        }

        var named = _named;
        if (named.Hashes is null || !named.Transaction.TryGetTarget(out var loadedIn) || !ReferenceEquals(loadedIn, transaction))
        {
            var hashes = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = _statements.Query("SELECT DISTINCT server_hash FROM opt_events", transaction))
            {
                while (reader.Read())
                {
                    hashes.Add(reader.GetString(0));
                }
            }

            named.Hashes = hashes;
            named.Transaction.SetTarget(transaction);
        }

        return named.Hashes.Contains(key.Hash("server:" + serverId.Value)) ? ForServer(serverId, transaction) : [];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, Named> NamedInBatch = [];

    /// <summary>The instances named by opt events, as read in one transaction.</summary>
    private sealed class Named
    {
        public WeakReference<SqliteTransaction> Transaction { get; } = new(null!);

        public HashSet<string>? Hashes { get; set; }
    }

    public IReadOnlyList<OptEvent> ForServer(ServerId serverId, SqliteTransaction? transaction = null)
    {
        var result = new List<OptEvent>();
        using var reader = _statements.Query(
            "SELECT kind, generated_at, source FROM opt_events WHERE server_hash = server_hmac('server:' || @ServerId)",
            transaction,
            ("@ServerId", serverId.Value));
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
