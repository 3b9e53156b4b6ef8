using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Privacy;

/// <summary>
/// Records opt-out and opt-in events and erases what an opt-out suppresses, in the caller's transaction.
/// </summary>
public sealed class OptOutService(SqliteConnection connection, TimeProvider time, ILogger logger)
{
    private readonly OptEventStore events = new(connection);
    private readonly ReportStore reports = new(connection);
    private readonly AuditLog audit = new(connection, time);

    /// <summary>Records an event and erases every stored report of the instance that is now suppressed.</summary>
    /// <returns>The rows erased, per table.</returns>
    public TableCounts Record(string eventKey, OptEvent e, string? reason, SqliteTransaction transaction)
    {
        events.Insert(eventKey, e, reason, time.GetUtcNow(), transaction);
        audit.Append(e.IsOptOut ? AuditAction.OptOut : AuditAction.OptIn, e.ServerId, e.Source == OptEventSource.Notice ? "notice from the add-on" : reason ?? "by hand", transaction);
        if (!e.IsOptOut)
        {
            return new TableCounts();
        }

        return EraseSuppressed(e.ServerId, transaction);
    }

    /// <summary>
    /// Erases the stored reports of an instance that its opt events suppress. An instance under legal hold keeps
    /// them (the hold wins; its future reports are still dropped) until the hold is released, which calls this again.
    /// </summary>
    public TableCounts EraseSuppressed(ServerId serverId, SqliteTransaction transaction)
    {
        if (new LegalHolds(connection, time).Find(serverId, transaction) is not null)
        {
            Log.ErasureDeferredByHold(logger);
            return new TableCounts();
        }

        var all = events.ForServer(serverId, transaction);
        var doomed = reports.Instants(serverId, transaction)
            .Where(r => OptOutPolicy.IsSuppressed(all, r.GeneratedAt))
            .Select(r => r.Id)
            .ToList();
        var erased = reports.Erase(serverId, doomed, transaction);
        Log.OptOutErased(logger, (int)erased["reports"]);
        return erased;
    }

    /// <summary>Opts an instance out by hand, from this moment.</summary>
    public TableCounts AddManual(ServerId serverId, string? reason)
    {
        var now = time.GetUtcNow();
        using var transaction = connection.BeginTransaction();
        var erased = Record(ManualKey("optout", serverId, now), new OptEvent(serverId, true, now, OptEventSource.Manual), reason, transaction);
        transaction.Commit();
        Checkpoint();
        return erased;
    }

    /// <summary>
    /// Lifts an opt-out by hand, from this moment: later reports are accepted again. The opt-in is placed at least a
    /// millisecond after the opt-out it lifts, since an opt-in at the very instant of an opt-out does not lift it.
    /// </summary>
    public void RemoveManual(ServerId serverId, string? reason)
    {
        var now = time.GetUtcNow();
        var lastOptOut = events.ForServer(serverId).Where(e => e.IsOptOut).Select(e => (DateTimeOffset?)e.At).Max();
        if (lastOptOut is { } last && last >= now)
        {
            now = last.AddMilliseconds(1);
        }

        using var transaction = connection.BeginTransaction();
        Record(ManualKey("optin", serverId, now), new OptEvent(serverId, false, now, OptEventSource.Manual), reason, transaction);
        transaction.Commit();
    }

    /// <summary>True when the instance stands opted out now.</summary>
    public bool IsOptedOut(ServerId serverId) => OptOutPolicy.IsOptedOutAt(events.ForServer(serverId), time.GetUtcNow());

    /// <summary>Moves the WAL into the database file and truncates it, so erased pages leave the WAL too.</summary>
    public void Checkpoint() => TelemetryDatabase.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");

    internal static string ManualKey(string kind, ServerId serverId, DateTimeOffset at) =>
        $"manual:{kind}:{serverId}/{SqlTypeHandlers.ToSql(at)}";
}
