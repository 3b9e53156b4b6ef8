using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>
/// Opt events of instances that are not opted out, whose last event and last report are older than the retention
/// period. The events of an instance that stands opted out are its suppression entry and stay as long as it does;
/// held instances are left alone.
/// </summary>
public sealed class ExpiredOptEventsTask : IRetentionTask
{
    public string Name => "expired-opt-events";

    public RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction)
    {
        var connection = context.Connection;
        var p = new { Now = SqlTypeHandlers.ToSql(context.Now), Cutoff = SqlTypeHandlers.ToSql(context.DataCutoff) };
        var expired = connection.Query<string>(
            """
            SELECT e.server_hash FROM opt_events e
            WHERE e.server_hash NOT IN (SELECT server_hash FROM legal_holds)
              AND e.server_hash NOT IN (SELECT server_hmac('server:' || server_id) FROM instances WHERE latest_generated_at > @Cutoff)
            GROUP BY e.server_hash
            HAVING max(e.generated_at) <= @Cutoff
               AND NOT coalesce((
                   SELECT last.kind = 'optout' FROM opt_events last
                   WHERE last.server_hash = e.server_hash AND last.generated_at <= @Now
                   ORDER BY last.generated_at DESC, last.kind = 'optout' DESC LIMIT 1), 0)
            """,
            p,
            transaction).ToList();

        var rows = new TableCounts();
        rows.Add("opt_events", connection.Execute(
            "DELETE FROM opt_events WHERE server_hash IN (SELECT value FROM json_each(@Hashes))",
            new { Hashes = System.Text.Json.JsonSerializer.Serialize(expired) },
            transaction));
        return new RetentionTaskResult(Name, rows, expired.Count);
    }
}
