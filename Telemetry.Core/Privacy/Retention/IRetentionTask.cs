using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>One retention task: deletes one kind of expired data, inside the transaction it is given.</summary>
public interface IRetentionTask
{
    /// <summary>A short name for reports: "expired-reports".</summary>
    string Name { get; }

    RetentionTaskResult Run(RetentionContext context, SqliteTransaction transaction);
}

/// <summary>What a retention task works with.</summary>
/// <param name="Now">The instant the retention is computed for (the end of the as-of day).</param>
public sealed record RetentionContext(SqliteConnection Connection, DateTimeOffset Now, RetentionOptions Options)
{
    public DateTimeOffset DataCutoff => Now - Options.DataRetention;

    public DateTimeOffset AuditCutoff => Now - Options.AuditRetention;
}

/// <summary>What one task did (or would do): rows per table, instances affected, or why it failed.</summary>
public sealed record RetentionTaskResult(string Task, TableCounts Rows, long Instances, string? Error = null)
{
    public bool Failed => Error is not null;
}
