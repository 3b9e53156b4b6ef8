using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>Audit entries older than their retention period (1 year by default).</summary>
public sealed class ExpiredAuditTask : IRetentionTask
{
    public string Name => "expired-audit-entries";

    public RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction)
    {
        var rows = new TableCounts();
        rows.Add("audit_log", context.Connection.Execute(
            "DELETE FROM audit_log WHERE at <= @Cutoff",
            new { Cutoff = SqlTypeHandlers.ToSql(context.AuditCutoff) },
            transaction));
        return new RetentionTaskResult(Name, rows, 0);
    }
}
