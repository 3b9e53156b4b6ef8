using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>
/// Instances whose last report is older than the retention period lose all their reports (and the message records
/// that described them), unless they are under legal hold.
/// </summary>
public sealed class ExpiredReportsTask : IRetentionTask
{
    public string Name => "expired-reports";

    public RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction)
    {
        var connection = context.Connection;
        var expired = connection.Query<string>(
            """
            SELECT server_id FROM instances
            WHERE latest_generated_at <= @Cutoff
              AND server_hmac('server:' || server_id) NOT IN (SELECT server_hash FROM legal_holds)
            """,
            new { Cutoff = SqlTypeHandlers.ToSql(context.DataCutoff) },
            transaction).ToList();

        var store = new ReportStore(connection);
        var rows = new TableCounts();
        foreach (var id in expired)
        {
            var serverId = ServerId.Parse(id);
            rows.Add(store.Erase(serverId, store.Instants(serverId, transaction).Select(r => r.Id).ToList(), transaction));
        }

        return new RetentionTaskResult(Name, rows, expired.Count);
    }
}
