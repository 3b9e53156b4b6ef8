using System.Globalization;

using Dapper;

using Microsoft.Data.Sqlite;

using NuGet.Versioning;

using Telemetry.Core.Storage;

namespace Telemetry.Core.Stats;

/// <summary>
/// The statistics of the contract, computed from each instance's latest report at the as-of date.
/// </summary>
/// <remarks>
/// Every report knows when it stopped being its instance's latest (<c>superseded_at</c>, kept by triggers), so the
/// latest reports of the active instances at any instant E are the reports generated in the active window before E
/// and not superseded by E: one range of the <c>reports_by_time</c> index, for today as for any past month.
/// </remarks>
public sealed class StatisticsQueries
{
    private readonly SqliteConnection connection;

    public StatisticsQueries(SqliteConnection connection)
    {
        this.connection = connection;
        TelemetryDatabase.MapForReading(connection);
    }

    /// <summary>The latest report of every active instance at @End (window after @WindowStart).</summary>
    private const string CurrentCte = """
        WITH current AS (
            SELECT * FROM reports
            WHERE generated_at > @WindowStart AND generated_at <= @End
              AND (superseded_at IS NULL OR superseded_at > @End)
        )
        """;

    public Summary Summary(AsOf asOf)
    {
        var row = Active(asOf);
        var known = connection.ExecuteScalar<long>("SELECT count(*) FROM instances WHERE first_report_at <= @End", Parameters(asOf));
        return new Summary(asOf.Date, (int)asOf.ActiveWindow.TotalDays, row.Instances, known - row.Instances, OptedOut(asOf), row.Users, row.ActiveUsers);
    }

    /// <summary>The active instances at the as-of date, with the sums of their users and Play SQL active users.</summary>
    public (long Instances, long Users, long ActiveUsers) Active(AsOf asOf) =>
        connection.QuerySingle<(long, long, long)>(
            CurrentCte + "SELECT count(*), coalesce(sum(user_count), 0), coalesce(sum(active_users), 0) FROM current",
            Parameters(asOf));

    /// <summary>Instances whose latest opt event at the as-of date is an opt-out.</summary>
    public long OptedOut(AsOf asOf) =>
        connection.ExecuteScalar<long>(
            """
            SELECT count(*) FROM (
                SELECT server_hash, max(generated_at) AS at FROM opt_events
                WHERE kind = 'optout' AND generated_at <= @End
                GROUP BY server_hash) o
            WHERE NOT EXISTS (
                SELECT 1 FROM opt_events e
                WHERE e.server_hash = o.server_hash AND e.kind = 'optin'
                  AND e.generated_at > o.at AND e.generated_at <= @End)
            """,
            Parameters(asOf));

    public IReadOnlyList<FeatureAdoption> Features(AsOf asOf) => Adoption(asOf).Features;

    /// <summary>
    /// Feature adoption with its base: the active instances whose latest report is a monthly one.
    /// </summary>
    public (long Base, IReadOnlyList<FeatureAdoption> Features) Adoption(AsOf asOf)
    {
        var (monthly, counts) = FeatureCounts(asOf);
        return (monthly, counts
            .Select(r => new FeatureAdoption(r.Name, r.Instances, monthly == 0 ? 0 : (double)r.Instances / monthly))
            .OrderByDescending(f => f.Instances)
            .ThenBy(f => f.Feature, StringComparer.Ordinal)
            .ToList());
    }

    /// <summary>Feature adoption at the end of every month from <paramref name="from"/> to <paramref name="to"/> (the as-of date for its own month).</summary>
    public IReadOnlyList<FeatureMonth> FeatureTrend(DateOnly from, DateOnly to, AsOf asOf)
    {
        var result = new List<FeatureMonth>();
        foreach (var (month, end) in Months(from, to, asOf))
        {
            var (monthly, counts) = FeatureCounts(end);
            result.AddRange(counts
                .OrderByDescending(r => r.Instances)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => new FeatureMonth(month, r.Name, r.Instances, monthly)));
        }

        return result;
    }

    public IReadOnlyList<VersionShare> Versions(AsOf asOf, VersionOf of)
    {
        var column = of == VersionOf.Addon ? "addon_version" : "confluence_version";
        var rows = connection.Query<(string? Version, long Instances)>(
            CurrentCte + $"SELECT {column}, count(*) FROM current GROUP BY {column}",
            Parameters(asOf)).ToList();
        var total = rows.Sum(r => r.Instances);
        return rows
            .Select(r => new VersionShare(r.Version ?? "unknown", r.Instances, total == 0 ? 0 : (double)r.Instances / total))
            .Order(VersionOrder.Instance)
            .ToList();
    }

    /// <summary>Active instances and their users per license type, most instances first.</summary>
    public IReadOnlyList<LicenseCount> Licenses(AsOf asOf) =>
        connection.Query<(string? Type, long Instances, long Users)>(
            CurrentCte + "SELECT license_type, count(*), coalesce(sum(user_count), 0) FROM current GROUP BY license_type",
            Parameters(asOf))
            .Select(r => new LicenseCount(r.Type ?? "unknown", r.Instances, r.Users))
            .OrderByDescending(r => r.Instances)
            .ThenBy(r => r.LicenseType, StringComparer.Ordinal)
            .ToList();

    /// <summary>Per database type: active instances with at least one connection of it, and their connections.</summary>
    public IReadOnlyList<ConnectionCount> Connections(AsOf asOf) =>
        connection.Query<(string Type, long Instances, long Connections)>(
            CurrentCte + """
            SELECT c.type, count(*), sum(c.count)
            FROM current r JOIN report_connections c ON c.report_id = r.id
            WHERE c.count > 0
            GROUP BY c.type
            """,
            Parameters(asOf))
            .Select(r => new ConnectionCount(r.Type, r.Instances, r.Connections))
            .OrderByDescending(r => r.Instances)
            .ThenBy(r => r.Type, StringComparer.Ordinal)
            .ToList();

    /// <summary>Active instances per edition and cluster size: server, datacenter by size, unknown.</summary>
    public IReadOnlyList<EditionCount> Editions(AsOf asOf) =>
        connection.Query<(string? Edition, long? Nodes, long Instances)>(
            CurrentCte + "SELECT confluence_edition, cluster_nodes, count(*) FROM current GROUP BY confluence_edition, cluster_nodes",
            Parameters(asOf))
            .Select(r => new EditionCount(r.Edition ?? "unknown", r.Nodes is { } n ? (int)n : null, r.Instances))
            .OrderBy(r => r.Edition switch { "server" => 0, "datacenter" => 1, "unknown" => 3, _ => 2 })
            .ThenBy(r => r.Edition, StringComparer.Ordinal)
            .ThenBy(r => r.ClusterNodes ?? int.MaxValue)
            .ToList();

    /// <summary>
    /// One row per month from <paramref name="from"/> to <paramref name="to"/> (first days of months), each as it stood
    /// at the month's end, or at the as-of date for the as-of date's own month. Months after the as-of date are left out.
    /// </summary>
    public IReadOnlyList<MonthFigures> Trend(DateOnly from, DateOnly to, AsOf asOf)
    {
        var result = new List<MonthFigures>();
        foreach (var (month, end) in Months(from, to, asOf))
        {
            var current = Active(end);
            var start = SqlTypeHandlers.ToSql(new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            var previousEnd = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMilliseconds(-1);
            var flows = new
            {
                Start = start,
                End = SqlTypeHandlers.ToSql(end.End),
                SilentFrom = SqlTypeHandlers.ToSql(previousEnd - end.ActiveWindow),
                SilentTo = SqlTypeHandlers.ToSql(end.End - end.ActiveWindow),
                WindowSeconds = (long)end.ActiveWindow.TotalSeconds,
            };
            var installs = connection.ExecuteScalar<long>(
                """
                SELECT count(DISTINCT server_id) FROM reports INDEXED BY reports_installs_by_time
                WHERE kind = 'install' AND generated_at >= @Start AND generated_at <= @End
                """,
                flows);

            // A report whose window ends in the month (generated_at + window in (previous month's end, @End]) with no
            // newer report by then: its instance went silent during the month.
            var silent = connection.ExecuteScalar<long>(
                """
                SELECT count(*) FROM reports
                WHERE generated_at > @SilentFrom AND generated_at <= @SilentTo
                  AND (superseded_after_s IS NULL OR superseded_after_s > @WindowSeconds)
                """,
                flows);
            var optOuts = connection.ExecuteScalar<long>(
                """
                SELECT count(DISTINCT server_hash) FROM opt_events
                WHERE kind = 'optout' AND generated_at >= @Start AND generated_at <= @End
                """,
                flows);
            result.Add(new MonthFigures(month, current.Instances, current.Users, current.ActiveUsers, installs, silent, optOuts));
        }

        return result;
    }

    /// <summary>The months from one to another (first days), each with the instant it is measured at: its end, or the as-of date.</summary>
    public static IEnumerable<(DateOnly Month, AsOf End)> Months(DateOnly from, DateOnly to, AsOf asOf)
    {
        var first = new DateOnly(from.Year, from.Month, 1);
        var last = new DateOnly(to.Year, to.Month, 1);
        var asOfMonth = new DateOnly(asOf.Date.Year, asOf.Date.Month, 1);
        if (last > asOfMonth)
        {
            last = asOfMonth;
        }

        for (var m = first; m <= last; m = m.AddMonths(1))
        {
            var monthEnd = m.AddMonths(1).AddDays(-1);
            yield return (m, asOf with { Date = monthEnd < asOf.Date ? monthEnd : asOf.Date });
        }
    }

    /// <summary>
    /// Instances per feature they use (a feature reported only with 0 is listed with none), counted per distinct set
    /// of features from the index alone; the base is the sum of those sets.
    /// </summary>
    private (long Base, List<(string Name, long Instances)> Counts) FeatureCounts(AsOf asOf)
    {
        var sets = connection.Query<(string Use, long Instances)>(
            CurrentCte + "SELECT feature_use, count(*) FROM current WHERE kind = 'monthly' GROUP BY feature_use",
            Parameters(asOf));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long monthly = 0;
        foreach (var (use, instances) in sets)
        {
            monthly += instances;
            foreach (var entry in use.Split(ReportStore.FeatureSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = entry[1..];
                counts[name] = counts.GetValueOrDefault(name) + (entry[0] == '+' ? instances : 0);
            }
        }

        return (monthly, [.. counts.Select(kv => (kv.Key, kv.Value))]);
    }

    private static object Parameters(AsOf asOf) =>
        new { End = SqlTypeHandlers.ToSql(asOf.End), WindowStart = SqlTypeHandlers.ToSql(asOf.WindowStart) };

    /// <summary>Orders versions as versions (4.10 after 4.9), unparseable ones after, "unknown" last.</summary>
    public sealed class VersionOrder : IComparer<VersionShare>
    {
        public static readonly VersionOrder Instance = new();

        /// <summary>The version when it can be ordered as one; null for "unknown" and text that is not a version.</summary>
        public static NuGetVersion? Parse(string version) =>
            version != "unknown" && NuGetVersion.TryParse(version, out var v) ? v : null;

        public int Compare(VersionShare? x, VersionShare? y)
        {
            var a = Rank(x!.Version);
            var b = Rank(y!.Version);
            if (a.Group != b.Group)
            {
                return a.Group.CompareTo(b.Group);
            }

            if (a.Parsed is not null && b.Parsed is not null)
            {
                var c = a.Parsed.CompareTo(b.Parsed);
                if (c != 0)
                {
                    return c;
                }
            }

            return string.CompareOrdinal(x.Version, y.Version);
        }

        private static (int Group, NuGetVersion? Parsed) Rank(string version) =>
            version == "unknown" ? (2, null)
            : Parse(version) is { } v ? (0, v)
            : (1, null);
    }
}
