using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>Alert emails already sent (or given up) longer ago than the retention period: the founder's mailbox has them.</summary>
public sealed class ExpiredAlertsTask : IRetentionTask
{
    public string Name => "expired-alert-emails";

    public RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction)
    {
        var rows = new TableCounts();
        rows.Add("alert_outbox", context.Connection.Execute(
            "DELETE FROM alert_outbox WHERE status IN ('sent', 'failed') AND created_at <= @Cutoff",
            new { Cutoff = SqlTypeHandlers.ToSql(context.DataCutoff) },
            transaction));
        return new RetentionTaskResult(Name, rows, 0);
    }
}
