using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>
/// Message records (content hashes and outcomes) that describe no stored report and were last seen longer ago than
/// the retention period: not-a-report mail, invalid or dropped reports, copies of reports erased since.
/// </summary>
public sealed class ExpiredMessagesTask : IRetentionTask
{
    public string Name => "expired-message-records";

    public RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction)
    {
        const string Expired = """
            last_seen_at <= @Cutoff AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = messages.id)
            """;
        var p = new { Cutoff = SqlTypeHandlers.ToSql(context.DataCutoff) };
        var rows = new TableCounts();
        rows.Add("message_items", context.Connection.ExecuteScalar<long>(
            $"SELECT count(*) FROM message_items WHERE message_id IN (SELECT id FROM messages WHERE {Expired})", p, transaction));
        rows.Add("messages", context.Connection.Execute($"DELETE FROM messages WHERE {Expired}", p, transaction));
        return new RetentionTaskResult(Name, rows, 0);
    }
}
