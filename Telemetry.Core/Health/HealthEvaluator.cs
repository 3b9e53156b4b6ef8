using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Health;

/// <summary>A rule that holds for an instance at the evaluation date.</summary>
public sealed record Finding(string ServerId, IHealthRule Rule, string Figures);

/// <summary>What an evaluation found and, when it was recorded, what changed.</summary>
public sealed record Evaluation(IReadOnlyList<Finding> Findings, IReadOnlyList<HealthFlag> Opened, IReadOnlyList<HealthFlag> Resolved);

/// <summary>
/// Evaluates every rule on every instance with stored reports, as it stood at the end of a day. Recorded
/// evaluations open a flag for each new occurrence, refresh the ones still holding (a snooze that ended opens its
/// flag again), and resolve the ones that no longer hold; a later occurrence of a resolved flag is a new flag.
/// </summary>
public sealed class HealthEvaluator(SqliteConnection connection, HealthOptions options, IReadOnlyList<IHealthRule>? rules = null)
{
    private readonly IReadOnlyList<IHealthRule> rules = rules ?? HealthRules.All;

    /// <summary>The findings at <paramref name="end"/>, without recording anything (how flags would have stood).</summary>
    public IReadOnlyList<Finding> Findings(DateTimeOffset end, SqliteTransaction? transaction = null) =>
        Histories(end, transaction)
            .SelectMany(h => rules.Select(r => (r, figures: r.Check(h, end, options))).Where(x => x.figures is not null).Select(x => new Finding(h.ServerId, x.r, x.figures!)))
            .ToList();

    /// <summary>Evaluates now and records the result in <paramref name="transaction"/>.</summary>
    public Evaluation Record(DateTimeOffset now, SqliteTransaction transaction)
    {
        var findings = Findings(now, transaction);
        var flags = new HealthFlagStore(connection);
        var current = flags.Unresolved(transaction).ToDictionary(f => (f.ServerId, f.Rule));
        var opened = new List<HealthFlag>();
        foreach (var finding in findings)
        {
            if (current.Remove((finding.ServerId, finding.Rule.Id), out var existing))
            {
                flags.Refresh(existing, finding.Figures, now, transaction);
            }
            else
            {
                opened.Add(flags.Open(finding.ServerId, finding.Rule, finding.Figures, now, transaction));
            }
        }

        var resolved = new List<HealthFlag>();
        foreach (var stale in current.Values)
        {
            resolved.Add(flags.Resolve(stale, now, transaction));
        }

        return new Evaluation(findings, opened, resolved);
    }

    private List<InstanceHistory> Histories(DateTimeOffset end, SqliteTransaction? transaction)
    {
        var p = new { End = SqlTypeHandlers.ToSql(end) };
        var rows = connection.Query<Row>(
            """
            WITH ranked AS (
                SELECT r.id, r.server_id, r.kind, r.generated_at, r.period_start, r.addon_version, r.confluence_version,
                       r.user_count, r.active_users, r.spreadsheets, r.queries, r.license_expires_on,
                       min(r.generated_at) OVER (PARTITION BY r.server_id) AS first_at,
                       row_number() OVER (PARTITION BY r.server_id ORDER BY r.generated_at DESC, r.report_key DESC) AS rn_all,
                       row_number() OVER (PARTITION BY r.server_id, r.kind ORDER BY r.generated_at DESC, r.report_key DESC) AS rn_kind
                FROM reports r
                WHERE r.generated_at <= @End
            )
            SELECT server_id AS ServerId, kind AS Kind, generated_at AS GeneratedAt, period_start AS PeriodStart,
                   addon_version AS AddonVersion, confluence_version AS ConfluenceVersion, user_count AS UserCount,
                   active_users AS ActiveUsers, spreadsheets AS Spreadsheets, queries AS Queries,
                   license_expires_on AS LicenseExpiresOn, first_at AS FirstAt, rn_all AS RankAll, rn_kind AS RankKind,
                   (SELECT count FROM report_errors e WHERE e.report_id = ranked.id AND e.name = 'connectionFailures') AS ConnectionFailures,
                   (SELECT count FROM report_errors e WHERE e.report_id = ranked.id AND e.name = 'queryErrors') AS QueryErrors
            FROM ranked
            WHERE rn_all = 1 OR (kind = 'monthly' AND rn_kind <= 2)
            """,
            p,
            transaction).ToList();
        var clones = connection.Query<(string ServerId, string PeriodStart, string Counts)>(
            """
            SELECT server_id, period_start, group_concat(DISTINCT user_count)
            FROM reports WHERE kind = 'monthly' AND generated_at <= @End AND user_count IS NOT NULL
            GROUP BY server_id, period_start HAVING count(DISTINCT user_count) > 1
            """,
            p,
            transaction).ToDictionary(c => (c.ServerId, c.PeriodStart), c => c.Counts);

        var result = new List<InstanceHistory>();
        foreach (var group in rows.GroupBy(r => r.ServerId))
        {
            var latest = group.Single(r => r.RankAll == 1);
            var monthly = group.Where(r => r.Kind == "monthly").OrderBy(r => r.RankKind).ToList();
            var latestMonthly = monthly.ElementAtOrDefault(0);
            var counts = latestMonthly?.PeriodStart is { } period && clones.TryGetValue((group.Key, period), out var c)
                ? c.Split(',').Select(long.Parse).Order().ToList()
                : [];
            result.Add(new InstanceHistory
            {
                ServerId = group.Key,
                FirstReportAt = SqlTypeHandlers.FromSql(latest.FirstAt),
                Latest = latest.Figures(),
                LatestMonthly = latestMonthly?.Figures(),
                PreviousMonthly = monthly.ElementAtOrDefault(1)?.Figures(),
                UserCountsForLatestPeriod = counts,
            });
        }

        return result;
    }

    /// <summary>One row of the history query (properties, so that NULLs map whatever SQLite says their type is).</summary>
    private sealed class Row
    {
        public string ServerId { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string GeneratedAt { get; set; } = string.Empty;

        public string? PeriodStart { get; set; }

        public string? AddonVersion { get; set; }

        public string? ConfluenceVersion { get; set; }

        public long? UserCount { get; set; }

        public long? ActiveUsers { get; set; }

        public long? Spreadsheets { get; set; }

        public long? Queries { get; set; }

        public string? LicenseExpiresOn { get; set; }

        public string FirstAt { get; set; } = string.Empty;

        public long RankAll { get; set; }

        public long RankKind { get; set; }

        public long? ConnectionFailures { get; set; }

        public long? QueryErrors { get; set; }

        public ReportFigures Figures() => new()
        {
            Kind = Kind,
            GeneratedAt = SqlTypeHandlers.FromSql(GeneratedAt),
            PeriodStart = PeriodStart is null ? null : DateOnly.ParseExact(PeriodStart, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            AddonVersion = AddonVersion,
            ConfluenceVersion = ConfluenceVersion,
            UserCount = UserCount,
            ActiveUsers = ActiveUsers,
            Spreadsheets = Spreadsheets,
            Queries = Queries,
            ConnectionFailures = ConnectionFailures,
            QueryErrors = QueryErrors,
            LicenseExpiresOn = LicenseExpiresOn is null ? null : DateOnly.ParseExact(LicenseExpiresOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
