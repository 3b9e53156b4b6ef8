using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy;

/// <summary>
/// Answers a data subject's requests about one instance: everything held (access, portability) and erasure.
/// </summary>
public sealed class SubjectAccess(SqliteConnection connection, TimeProvider time, ILogger logger)
{
    private readonly OptEventStore events = new(connection);
    private readonly AuditLog audit = new(connection, time);
    private readonly LegalHolds holds = new(connection, time);

    /// <summary>Everything the database holds about the instance, read in one transaction.</summary>
    public InstanceRecord Collect(ServerId serverId)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        var p = new { ServerId = serverId.Value };
        var reports = connection.Query("""SELECT * FROM reports WHERE server_id = @ServerId ORDER BY generated_at, report_key""", p, transaction)
            .Select(r => new Dictionary<string, object?>((IDictionary<string, object?>)r, StringComparer.Ordinal))
            .ToList();
        foreach (var report in reports)
        {
            var id = (long)report["id"]!;
            report["features"] = connection.Query<(string Name, long Count)>(
                "SELECT name, count FROM report_features WHERE report_id = @id ORDER BY name", new { id }, transaction)
                .ToDictionary(f => f.Name, f => f.Count);
            report["connections"] = connection.Query<(string Type, long Count)>(
                "SELECT type, count FROM report_connections WHERE report_id = @id ORDER BY type", new { id }, transaction)
                .Select(c => new Dictionary<string, object?> { ["type"] = c.Type, ["count"] = c.Count }).ToList();
            report["errors"] = connection.Query<(string Name, long Count)>(
                "SELECT name, count FROM report_errors WHERE report_id = @id ORDER BY name", new { id }, transaction)
                .ToDictionary(e => e.Name, e => e.Count);
        }

        var messages = connection.Query(
            """
            SELECT m.id, lower(hex(m.content_hash)) AS content_hash, m.outcome, m.reason, m.reports, m.size_bytes,
                   m.first_seen_at, m.last_seen_at, m.times_seen
            FROM messages m
            WHERE m.id IN (SELECT message_id FROM reports WHERE server_id = @ServerId)
            ORDER BY m.first_seen_at, m.id
            """,
            p,
            transaction)
            .Select(m => new Dictionary<string, object?>((IDictionary<string, object?>)m, StringComparer.Ordinal))
            .ToList();
        foreach (var message in messages)
        {
            message["items"] = connection.Query(
                "SELECT seq, source, outcome, reason FROM message_items WHERE message_id = @id ORDER BY seq", new { id = (long)message["id"]! }, transaction)
                .Select(i => new Dictionary<string, object?>((IDictionary<string, object?>)i, StringComparer.Ordinal))
                .ToList();
        }

        var instance = connection.QuerySingleOrDefault(
            "SELECT first_report_at, latest_report_id, latest_generated_at, reports FROM instances WHERE server_id = @ServerId", p, transaction);
        var opt = events.RowsForServer(serverId, transaction);
        var optedOut = OptOutPolicy.IsOptedOutAt(events.ForServer(serverId, transaction), time.GetUtcNow());
        var auditEntries = connection.Query<AuditEntry>(
            """
            SELECT id AS Id, at AS At, action AS Action, server_hash AS ServerHash, os_user AS OsUser, details AS Details
            FROM audit_log WHERE server_hash = server_hmac('server:' || @ServerId) ORDER BY at, id
            """,
            p,
            transaction).ToList();

        var flags = connection.Query(
            "SELECT id, rule, severity, figures, first_seen, last_seen, status, note, snoozed_until, resolved_at FROM health_flags WHERE server_id = @ServerId ORDER BY id",
            p,
            transaction)
            .Select(f => new Dictionary<string, object?>((IDictionary<string, object?>)f, StringComparer.Ordinal))
            .ToList();

        return new InstanceRecord(
            serverId.Value,
            time.GetUtcNow(),
            optedOut,
            instance is null ? null : new Dictionary<string, object?>((IDictionary<string, object?>)instance, StringComparer.Ordinal),
            reports,
            messages,
            opt,
            holds.Find(serverId, transaction),
            auditEntries,
            flags);
    }

    /// <summary>Writes the complete record as JSON to a file readable by its owner only, and audits the export.</summary>
    public InstanceRecord Export(ServerId serverId, string path)
    {
        var record = Collect(serverId);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.SetLength(0);
            System.Text.Json.JsonSerializer.Serialize(stream, record, InstanceRecord.JsonOptions);
        }

        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its mode when overwritten: set it.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // The file name may carry the Server ID: it is not written to the audit log.
        audit.Append(AuditAction.Export, serverId, $"{record.Reports.Count} reports, {record.Messages.Count} message records, {record.OptEvents.Count} opt events");
        return record;
    }

    /// <summary>
    /// Erases everything held about the instance and suppresses it from now on, in one transaction: a customer who
    /// asks for erasure does not want to be collected again. With <paramref name="dryRun"/> the same work is done and
    /// rolled back, so the counts are exactly what would go. Refused while the instance is under legal hold.
    /// </summary>
    public TableCounts Forget(ServerId serverId, string? reason, bool dryRun)
    {
        if (holds.Find(serverId) is { } hold)
        {
            throw new InvalidOperationException(
                $"{serverId} is under legal hold since {hold.Since.UtcDateTime:yyyy-MM-dd} ({hold.Reason}); release the hold before erasing it.");
        }

        var optOuts = new OptOutService(connection, time, logger);
        var reports = new ReportStore(connection);
        var now = time.GetUtcNow();
        using var transaction = connection.BeginTransaction();
        var counts = optOuts.Record(
            OptOutService.ManualKey("optout", serverId, now),
            new OptEvent(serverId, true, now, OptEventSource.Manual),
            reason ?? "erasure request",
            transaction);

        // Whatever the opt-out did not cover (a report dated in the future by a wrong clock) goes too.
        var rest = reports.Instants(serverId, transaction).Select(r => r.Id).ToList();
        counts.Add(reports.Erase(serverId, rest, transaction));
        audit.Append(AuditAction.Forget, serverId, $"{reason ?? "erasure request"}; erased {counts}", transaction);

        if (dryRun)
        {
            transaction.Rollback();
            return counts;
        }

        transaction.Commit();
        optOuts.Checkpoint();
        return counts;
    }
}

/// <summary>Everything held about one instance, as exported and shown.</summary>
public sealed record InstanceRecord(
    string ServerId,
    DateTimeOffset CollectedAt,
    bool OptedOut,
    IReadOnlyDictionary<string, object?>? Instance,
    IReadOnlyList<Dictionary<string, object?>> Reports,
    IReadOnlyList<Dictionary<string, object?>> Messages,
    IReadOnlyList<OptEventRow> OptEvents,
    LegalHold? LegalHold,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<Dictionary<string, object?>> HealthFlags)
{
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };
}
