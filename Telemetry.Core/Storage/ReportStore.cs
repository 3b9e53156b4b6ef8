using Dapper;

using Microsoft.Data.Sqlite;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Storage;

/// <summary>Writes accepted reports and keeps each instance's current state up to date.</summary>
public sealed class ReportStore(SqliteConnection connection)
{
    // The report, with the generation instant of the report that supersedes it (the next of its instance in
    // (generated_at, report_key) order: late mail arrives after newer reports), in one statement that inserts nothing
    // when the report is already stored. Seconds are rounded as the migration and the delete trigger round them.
    private const string InsertSql = """
        INSERT INTO reports (
            report_key, report_id, server_id, kind, format_version, generated_at, generated_offset_minutes,
            period_start, period_end, confluence_version, confluence_edition, cluster_nodes, user_count,
            confluence_database, addon_version, license_type, license_sen, license_max_users, license_expires_on,
            active_users, spreadsheets, queries, pages_with_macros, contact_email, contact_name,
            received_at, message_id, feature_use, superseded_at, superseded_after_s)
        SELECT
            @Key, @ReportId, @ServerId, @Kind, @FormatVersion, @GeneratedAt, @Offset,
            @PeriodStart, @PeriodEnd, @ConfluenceVersion, @Edition, @ClusterNodes, @UserCount,
            @Database, @AddonVersion, @LicenseType, @LicenseSen, @LicenseMaxUsers, @LicenseExpiresOn,
            @ActiveUsers, @Spreadsheets, @Queries, @PagesWithMacros, @ContactEmail, @ContactName,
            @ReceivedAt, @MessageId, @FeatureUse, next.at,
            CAST(round((julianday(next.at) - julianday(@GeneratedAt)) * 86400) AS INTEGER)
        FROM (SELECT (SELECT generated_at FROM reports
                      WHERE server_id = @ServerId AND (generated_at, report_key) > (@GeneratedAt, @Key)
                      ORDER BY generated_at, report_key LIMIT 1) AS at) AS next
        WHERE true
        ON CONFLICT (report_key) DO NOTHING
        RETURNING id
        """;

    // The report the new one supersedes: the previous of its instance.
    private const string SupersedePredecessorSql = """
        UPDATE reports SET superseded_at = @GeneratedAt,
                           superseded_after_s = CAST(round((julianday(@GeneratedAt) - julianday(generated_at)) * 86400) AS INTEGER)
        WHERE id = (SELECT id FROM reports
                    WHERE server_id = @ServerId AND (generated_at, report_key) < (@GeneratedAt, @Key)
                    ORDER BY generated_at DESC, report_key DESC LIMIT 1)
        """;

    private readonly Statements _statements = Statements.For(connection);

    /// <summary>
    /// Stores an install or monthly report with its counters, records which report it supersedes and which supersedes
    /// it, and updates its instance. A report already stored (same identity) is a <see cref="SqliteException"/>.
    /// </summary>
    public long Insert(Report report, long? messageId, DateTimeOffset receivedAt, SqliteTransaction transaction) =>
        TryInsert(report, messageId, receivedAt, transaction)
        ?? throw new SqliteException($"The report {report.Identity.Key} is already stored.", 19);

    /// <summary>
    /// Like <see cref="Insert"/>, but a report already stored (same identity) is not an error: nothing is written and
    /// the result is null.
    /// </summary>
    public long? TryInsert(Report report, long? messageId, DateTimeOffset receivedAt, SqliteTransaction transaction)
    {
        if (report.Kind.IsNotice())
        {
            throw new ArgumentException("Opt-out and opt-in notices are events, not reports.", nameof(report));
        }

        var key = report.Identity.Key;
        var serverId = report.ServerId.Value;
        var generatedAt = SqlTypeHandlers.ToSql(report.GeneratedAt);
        if (_statements.Scalar(
            InsertSql,
            transaction,
            ("@Key", key),
            ("@ReportId", report.ReportId?.ToString("D")),
            ("@ServerId", serverId),
            ("@Kind", report.Kind.ToWire()),
            ("@FormatVersion", report.FormatVersion),
            ("@GeneratedAt", generatedAt),
            ("@Offset", (int)report.GeneratedAt.Offset.TotalMinutes),
            ("@PeriodStart", SqlTypeHandlers.ToSql(report.Period?.Start)),
            ("@PeriodEnd", SqlTypeHandlers.ToSql(report.Period?.End)),
            ("@ConfluenceVersion", report.Confluence.Version),
            ("@Edition", report.Confluence.Edition),
            ("@ClusterNodes", report.Confluence.ClusterNodes),
            ("@UserCount", report.Confluence.UserCount),
            ("@Database", report.Confluence.Database),
            ("@AddonVersion", report.Addon.Version),
            ("@LicenseType", report.Addon.LicenseType),
            ("@LicenseSen", report.Addon.LicenseSen),
            ("@LicenseMaxUsers", report.Addon.LicenseMaxUsers),
            ("@LicenseExpiresOn", SqlTypeHandlers.ToSql(report.Addon.LicenseExpiresOn)),
            ("@ActiveUsers", report.Usage.ActiveUsers),
            ("@Spreadsheets", report.Usage.Spreadsheets),
            ("@Queries", report.Usage.Queries),
            ("@PagesWithMacros", report.Usage.PagesWithMacros),
            ("@ContactEmail", report.Contact?.Email),
            ("@ContactName", report.Contact?.Name),
            ("@ReceivedAt", SqlTypeHandlers.ToSql(receivedAt)),
            ("@MessageId", messageId),
            ("@FeatureUse", FeatureUse(report.Features))) is not long id)
        {
            return null;
        }

        _statements.Execute(SupersedePredecessorSql, transaction, ("@GeneratedAt", generatedAt), ("@ServerId", serverId), ("@Key", key));
        InsertCounts(InsertFeatures, id, report.Features, transaction);
        InsertCounts(InsertConnections, id, report.Connections, transaction);
        InsertCounts(InsertErrors, id, report.Errors, transaction);
        UpdateInstance(report, key, generatedAt, id, transaction);
        return id;
    }

    /// <summary>
    /// The features a report names, "+name" when used (count above 0) and "-name" when reported as 0 (a repeated
    /// name keeps its last value, as stored), sorted and joined by the unit separator.
    /// </summary>
    public static string FeatureUse(IReadOnlyList<NamedCount> features)
    {
        if (features.Count == 0)
        {
            return string.Empty;
        }

        var last = new Dictionary<string, long>(features.Count, StringComparer.Ordinal);
        foreach (var f in features)
        {
            last[f.Name] = f.Count;
        }

        var names = new string[last.Count];
        last.Keys.CopyTo(names, 0);
        Array.Sort(names, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = (last[names[i]] > 0 ? "+" : "-") + names[i];
        }

        return string.Join(FeatureSeparator, names);
    }

    /// <summary>Separates names in <c>feature_use</c>: a control character, which names never hold.</summary>
    public const char FeatureSeparator = '\u001f';

    private static readonly RowInsert InsertFeatures = new("INSERT OR REPLACE INTO report_features (report_id, name, count)", 3);
    private static readonly RowInsert InsertConnections = new("INSERT OR REPLACE INTO report_connections (report_id, type, count)", 3);
    private static readonly RowInsert InsertErrors = new("INSERT OR REPLACE INTO report_errors (report_id, name, count)", 3);

    /// <summary>A report's counts of one kind; a name repeated within one report keeps its last value (rows go in order).</summary>
    private void InsertCounts(RowInsert insert, long reportId, IReadOnlyList<NamedCount> counts, SqliteTransaction transaction) =>
        _statements.InsertRows(insert, counts, transaction, (count, _, values) =>
        {
            values[0] = reportId;
            values[1] = count.Name;
            values[2] = count.Count;
        });

    private void UpdateInstance(Report report, string key, string generatedAt, long reportId, SqliteTransaction transaction)
    {
        // The latest report is the one with the greatest generatedAt; ties go to the greatest identity,
        // so the result never depends on arrival order.
        _statements.Execute(
            """
            INSERT INTO instances (server_id, first_report_at, latest_report_id, latest_generated_at, reports)
            VALUES (@ServerId, @At, @Id, @At, 1)
            ON CONFLICT (server_id) DO UPDATE SET
                reports = reports + 1,
                first_report_at = min(first_report_at, excluded.first_report_at),
                latest_report_id = CASE
                    WHEN excluded.latest_generated_at > latest_generated_at
                      OR (excluded.latest_generated_at = latest_generated_at
                          AND @Key > (SELECT report_key FROM reports WHERE id = latest_report_id))
                    THEN excluded.latest_report_id ELSE latest_report_id END,
                latest_generated_at = max(latest_generated_at, excluded.latest_generated_at)
            """,
            transaction,
            ("@ServerId", report.ServerId.Value),
            ("@At", generatedAt),
            ("@Id", reportId),
            ("@Key", key));
    }

    /// <summary>Rebuilds an instance's state from its stored reports (after an erasure), or removes it when none is left.</summary>
    public void RebuildInstance(ServerId serverId, SqliteTransaction transaction)
    {
        connection.Execute(
            """
            DELETE FROM instances WHERE server_id = @ServerId;
            INSERT INTO instances (server_id, first_report_at, latest_report_id, latest_generated_at, reports)
            SELECT server_id, min(generated_at),
                   (SELECT id FROM reports l WHERE l.server_id = @ServerId
                    ORDER BY l.generated_at DESC, l.report_key DESC LIMIT 1),
                   max(generated_at), count(*)
            FROM reports WHERE server_id = @ServerId
            GROUP BY server_id;
            """,
            new { ServerId = serverId.Value },
            transaction);
    }

    /// <summary>The generation instants of an instance's stored reports, by row id.</summary>
    public IReadOnlyList<(long Id, DateTimeOffset GeneratedAt)> Instants(ServerId serverId, SqliteTransaction transaction) =>
        connection.Query<(long, DateTimeOffset)>(
            """SELECT id, generated_at FROM reports WHERE server_id = @ServerId""",
            new { ServerId = serverId.Value },
            transaction).ToList();

    /// <summary>
    /// Deletes some reports of one instance with their counters, rebuilds its state, and removes the records of
    /// the messages that carried them once no stored report refers to those messages any more (a message record
    /// is kept no longer than the reports it describes). Returns the rows removed per table.
    /// </summary>
    public TableCounts Erase(ServerId serverId, IReadOnlyCollection<long> ids, SqliteTransaction transaction)
    {
        var counts = new TableCounts();
        if (ids.Count == 0)
        {
            return counts;
        }

        var p = new { ServerId = serverId.Value, Ids = System.Text.Json.JsonSerializer.Serialize(ids) };
        foreach (var table in new[] { "report_features", "report_connections", "report_errors" })
        {
            counts.Add(table, connection.ExecuteScalar<long>(
                $"SELECT count(*) FROM {table} WHERE report_id IN (SELECT value FROM json_each(@Ids))", p, transaction));
        }

        var messageIds = System.Text.Json.JsonSerializer.Serialize(connection.Query<long>(
            """SELECT DISTINCT message_id FROM reports WHERE id IN (SELECT value FROM json_each(@Ids)) AND message_id IS NOT NULL""",
            p,
            transaction).ToList());

        // The instance row points at its latest report: drop it first, rebuild it from what is left.
        connection.Execute("""DELETE FROM instances WHERE server_id = @ServerId""", p, transaction);
        counts.Add("reports", connection.Execute("""DELETE FROM reports WHERE id IN (SELECT value FROM json_each(@Ids))""", p, transaction));
        RebuildInstance(serverId, transaction);

        const string Orphans = """
            id IN (SELECT value FROM json_each(@messageIds))
            AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.message_id = messages.id)
            """;
        counts.Add("message_items", connection.ExecuteScalar<long>(
            $"SELECT count(*) FROM message_items WHERE message_id IN (SELECT id FROM messages WHERE {Orphans})", new { messageIds }, transaction));
        counts.Add("messages", connection.Execute($"DELETE FROM messages WHERE {Orphans}", new { messageIds }, transaction));

        // Flags describe the instance's reports: when none is left, its flags go too, and so do the alert emails
        // that name it (sent or not: an opted-out instance is not emailed about).
        if (connection.ExecuteScalar<long>("SELECT count(*) FROM reports WHERE server_id = @ServerId", p, transaction) == 0)
        {
            const string Naming = "(instr(entries, @ServerId) > 0 OR instr(text_body, @ServerId) > 0 OR instr(html_body, @ServerId) > 0)";

            // Other instances' flags in a pending email that is cancelled go back to the queue for the next email.
            connection.Execute(
                $"UPDATE health_flags SET alerted = 0 WHERE id IN (SELECT j.value FROM alert_outbox o, json_each(o.flag_ids) j WHERE o.status = 'pending' AND {Naming})",
                p,
                transaction);
            counts.Add("health_flags", connection.Execute("DELETE FROM health_flags WHERE server_id = @ServerId", p, transaction));
            counts.Add("alert_outbox", connection.Execute($"DELETE FROM alert_outbox WHERE {Naming}", p, transaction));
        }

        return counts;
    }
}
