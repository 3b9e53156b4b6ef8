using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Health;

/// <summary>The flags table.</summary>
public sealed class HealthFlagStore(SqliteConnection connection)
{
    private const string Columns = """
        id AS Id, server_id AS ServerId, rule AS Rule, severity AS Severity, figures AS Figures, first_seen AS FirstSeen,
        last_seen AS LastSeen, status AS Status, note AS Note, snoozed_until AS SnoozedUntil, resolved_at AS ResolvedAt
        """;

    public IReadOnlyList<HealthFlag> Unresolved(SqliteTransaction? transaction = null) =>
        Query($"SELECT {Columns} FROM health_flags WHERE status <> 'resolved'", null, transaction);

    public IReadOnlyList<HealthFlag> List(string? status, string? rule) =>
        Query(
            $"SELECT {Columns} FROM health_flags WHERE (@status IS NULL OR status = @status) AND (@rule IS NULL OR rule = @rule) ORDER BY first_seen, id",
            new { status, rule },
            null);

    /// <summary>Open flags not yet put in an alert email.</summary>
    public IReadOnlyList<HealthFlag> NotAlerted(SqliteTransaction transaction) =>
        Query($"SELECT {Columns} FROM health_flags WHERE status = 'open' AND alerted = 0 ORDER BY id", null, transaction);

    public void MarkAlerted(IEnumerable<long> ids, SqliteTransaction transaction) =>
        connection.Execute(
            "UPDATE health_flags SET alerted = 1 WHERE id IN (SELECT value FROM json_each(@Ids))",
            new { Ids = System.Text.Json.JsonSerializer.Serialize(ids) },
            transaction);

    public HealthFlag? Find(long id) => Query($"SELECT {Columns} FROM health_flags WHERE id = @id", new { id }, null).SingleOrDefault();

    public HealthFlag Open(string serverId, IHealthRule rule, string figures, DateTimeOffset now, SqliteTransaction transaction)
    {
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO health_flags (server_id, rule, severity, figures, first_seen, last_seen, status)
            VALUES (@serverId, @Rule, @Severity, @figures, @Now, @Now, 'open') RETURNING id
            """,
            new { serverId, Rule = rule.Id, Severity = rule.Severity.ToString().ToLowerInvariant(), figures, Now = SqlTypeHandlers.ToSql(now) },
            transaction);
        return Query($"SELECT {Columns} FROM health_flags WHERE id = @id", new { id }, transaction).Single();
    }

    /// <summary>The rule still holds: new figures, last seen now; a snooze that has ended opens the flag again.</summary>
    /// <remarks>Prepared once per connection: every evaluation refreshes every flag that still holds.</remarks>
    public void Refresh(HealthFlag flag, string figures, DateTimeOffset now, SqliteTransaction transaction) =>
        Statements.For(connection).Execute(
            """
            UPDATE health_flags SET figures = @figures, last_seen = @Now,
                status = CASE WHEN status = 'snoozed' AND snoozed_until <= @Now THEN 'open' ELSE status END,
                snoozed_until = CASE WHEN status = 'snoozed' AND snoozed_until <= @Now THEN NULL ELSE snoozed_until END
            WHERE id = @Id
            """,
            transaction,
            ("@figures", figures),
            ("@Now", SqlTypeHandlers.ToSql(now)),
            ("@Id", flag.Id));

    public HealthFlag Resolve(HealthFlag flag, DateTimeOffset now, SqliteTransaction transaction)
    {
        connection.Execute(
            "UPDATE health_flags SET status = 'resolved', resolved_at = @Now WHERE id = @Id",
            new { flag.Id, Now = SqlTypeHandlers.ToSql(now) },
            transaction);
        return flag with { Status = FlagStatus.Resolved, ResolvedAt = now };
    }

    /// <summary>A person has seen the flag; returns false when there is no unresolved flag with that id.</summary>
    public bool Acknowledge(long id, string? note) =>
        connection.Execute(
            "UPDATE health_flags SET status = 'acknowledged', note = @note, snoozed_until = NULL WHERE id = @id AND status <> 'resolved'",
            new { id, note }) == 1;

    public bool Snooze(long id, DateTimeOffset until) =>
        connection.Execute(
            "UPDATE health_flags SET status = 'snoozed', snoozed_until = @Until WHERE id = @id AND status <> 'resolved'",
            new { id, Until = SqlTypeHandlers.ToSql(until) }) == 1;

    private List<HealthFlag> Query(string sql, object? parameters, SqliteTransaction? transaction) =>
        connection.Query<FlagRow>(sql, parameters, transaction)
            .Select(r => new HealthFlag
            {
                Id = r.Id,
                ServerId = r.ServerId,
                Rule = r.Rule,
                Severity = Enum.Parse<Severity>(r.Severity, ignoreCase: true),
                Figures = r.Figures,
                FirstSeen = SqlTypeHandlers.FromSql(r.FirstSeen),
                LastSeen = SqlTypeHandlers.FromSql(r.LastSeen),
                Status = Enum.Parse<FlagStatus>(r.Status, ignoreCase: true),
                Note = r.Note,
                SnoozedUntil = r.SnoozedUntil is null ? null : SqlTypeHandlers.FromSql(r.SnoozedUntil),
                ResolvedAt = r.ResolvedAt is null ? null : SqlTypeHandlers.FromSql(r.ResolvedAt),
            })
            .ToList();

    private sealed class FlagRow
    {
        public long Id { get; set; }

        public string ServerId { get; set; } = string.Empty;

        public string Rule { get; set; } = string.Empty;

        public string Severity { get; set; } = string.Empty;

        public string Figures { get; set; } = string.Empty;

        public string FirstSeen { get; set; } = string.Empty;

        public string LastSeen { get; set; } = string.Empty;

        public string Status { get; set; } = string.Empty;

        public string? Note { get; set; }

        public string? SnoozedUntil { get; set; }

        public string? ResolvedAt { get; set; }
    }
}
