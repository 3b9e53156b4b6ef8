using Dapper;

using Microsoft.Data.Sqlite;

using NuGet.Versioning;

using Telemetry.Core.Storage;

namespace Telemetry.Core.Stats;

/// <summary>
/// The statistics of the contract, computed from each instance's latest report at the as-of date.
/// The maintained <c>instances</c> table answers directly when the latest report is not after the date;
/// otherwise one index seek per instance finds the latest report at that date.
/// </summary>
public sealed class StatisticsQueries(SqliteConnection connection)
{
    /// <summary>The latest install or monthly report of every instance at the as-of date (reports generated at or before its end).</summary>
    private const string LatestCte = """
        WITH latest AS (
            SELECT CASE WHEN i.latest_generated_at <= @End THEN i.latest_report_id
                        ELSE (SELECT r.id FROM reports r
                              WHERE r.server_id = i.server_id AND r.generated_at <= @End
                              ORDER BY r.generated_at DESC, r.report_key DESC LIMIT 1)
                   END AS report_id
            FROM instances i
            WHERE i.first_report_at <= @End
        ),
        current AS (
            SELECT r.* , r.generated_at > @WindowStart AS active
            FROM latest JOIN reports r ON r.id = latest.report_id
        )
        """;

    public Summary Summary(AsOf asOf)
    {
        var row = connection.QuerySingle<(long Active, long Silent, long Users, long ActiveUsers)>(
            LatestCte + """
            SELECT coalesce(sum(active), 0),
                   coalesce(sum(NOT active), 0),
                   coalesce(sum(CASE WHEN active THEN user_count END), 0),
                   coalesce(sum(CASE WHEN active THEN active_users END), 0)
            FROM current
            """,
            Parameters(asOf));
        return new Summary(asOf.Date, (int)asOf.ActiveWindow.TotalDays, row.Active, row.Silent, OptedOut(asOf), row.Users, row.ActiveUsers);
    }

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

    public IReadOnlyList<FeatureAdoption> Features(AsOf asOf)
    {
        var p = Parameters(asOf);
        var monthly = connection.ExecuteScalar<long>(
            LatestCte + """SELECT count(*) FROM current WHERE active AND kind = 'monthly'""", p);
        var rows = connection.Query<(string Name, long Instances)>(
            LatestCte + """
            SELECT f.name, count(*) FILTER (WHERE f.count > 0)
            FROM current c JOIN report_features f ON f.report_id = c.id
            WHERE c.active AND c.kind = 'monthly'
            GROUP BY f.name
            """,
            p);
        return rows
            .Select(r => new FeatureAdoption(r.Name, r.Instances, monthly == 0 ? 0 : (double)r.Instances / monthly))
            .OrderByDescending(f => f.Instances)
            .ThenBy(f => f.Feature, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<VersionShare> Versions(AsOf asOf, VersionOf of)
    {
        var column = of == VersionOf.Addon ? "addon_version" : "confluence_version";
        var rows = connection.Query<(string? Version, long Instances)>(
            LatestCte + $"""
            SELECT {column}, count(*) FROM current WHERE active GROUP BY {column}
            """,
            Parameters(asOf)).ToList();
        var total = rows.Sum(r => r.Instances);
        return rows
            .Select(r => new VersionShare(r.Version ?? "unknown", r.Instances, total == 0 ? 0 : (double)r.Instances / total))
            .Order(VersionOrder.Instance)
            .ToList();
    }

    private static object Parameters(AsOf asOf) =>
        new { End = SqlTypeHandlers.ToSql(asOf.End), WindowStart = SqlTypeHandlers.ToSql(asOf.WindowStart) };

    /// <summary>Orders versions as versions (4.10 after 4.9), unparseable ones after, "unknown" last.</summary>
    private sealed class VersionOrder : IComparer<VersionShare>
    {
        public static readonly VersionOrder Instance = new();

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
            : NuGetVersion.TryParse(version, out var v) ? (0, v)
            : (1, null);
    }
}
