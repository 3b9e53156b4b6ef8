using System.Globalization;
using NuGet.Versioning;

namespace Telemetry.Core.Health;

/// <summary>The instance stopped reporting: uninstalled, or its mail broke.</summary>
public sealed class SilentRule : IHealthRule
{
    public string Id => "silent";

    public Severity Severity => Severity.Warning;

    public string Advice => "Ask whether Play SQL is still installed and whether Confluence can still send mail.";

    public string Explanation(HealthOptions o) => $"The latest report is more than {o.SilentAfterDays} days old: the instance stopped reporting (uninstalled, or its mail broke).";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o)
    {
        var age = now - i.Latest.GeneratedAt;
        return age > TimeSpan.FromDays(o.SilentAfterDays)
            ? string.Create(CultureInfo.InvariantCulture, $"last report {i.Latest.GeneratedAt.UtcDateTime:yyyy-MM-dd}, {age.TotalDays:0} days ago (limit {o.SilentAfterDays})")
            : null;
    }
}

/// <summary>Many failed database connections last month.</summary>
public sealed class ConnectionFailuresRule : IHealthRule
{
    public string Id => "connection-failures";

    public Severity Severity => Severity.Warning;

    public string Advice => "Offer help with the database connections: a password, firewall or driver problem is likely.";

    public string Explanation(HealthOptions o) => $"The latest monthly report counts at least {o.ConnectionFailures} failed database connections.";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o) =>
        i.LatestMonthly?.ConnectionFailures is { } n && n >= o.ConnectionFailures
            ? string.Create(CultureInfo.InvariantCulture, $"connectionFailures {n} in {i.LatestMonthly.PeriodStart:yyyy-MM} (threshold {o.ConnectionFailures})")
            : null;
}

/// <summary>A large share of queries fail.</summary>
public sealed class QueryErrorsRule : IHealthRule
{
    public string Id => "query-errors";

    public Severity Severity => Severity.Warning;

    public string Advice => "Offer help with failing queries: check the SQL and the database permissions with the administrator.";

    public string Explanation(HealthOptions o) => $"At least {o.QueryErrorShare:P0} of the queries of the latest monthly report failed, with {o.QueryErrorMinQueries} queries or more.";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o)
    {
        if (i.LatestMonthly is not { Queries: { } q, QueryErrors: { } e } || q < o.QueryErrorMinQueries || q == 0)
        {
            return null;
        }

        var share = (double)e / q;
        return share >= o.QueryErrorShare
            ? string.Create(CultureInfo.InvariantCulture, $"queryErrors {e} of {q} queries ({share:P1}; threshold {o.QueryErrorShare:P0})")
            : null;
    }
}

/// <summary>Play SQL older than the supported minimum.</summary>
public sealed class OutdatedAddonRule : IHealthRule
{
    public string Id => "outdated-addon";

    public Severity Severity => Severity.Info;

    public string Advice => "Suggest upgrading Play SQL: fixes and support are for recent versions.";

    public string Explanation(HealthOptions o) => $"Play SQL is older than {o.MinAddonVersion} (versions compared as versions).";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o) =>
        Versions.Older(i.Latest.AddonVersion, o.MinAddonVersion) ? $"Play SQL {i.Latest.AddonVersion} (minimum {o.MinAddonVersion})" : null;
}

/// <summary>Confluence older than the supported minimum.</summary>
public sealed class UnsupportedConfluenceRule : IHealthRule
{
    public string Id => "unsupported-confluence";

    public Severity Severity => Severity.Info;

    public string Advice => "Tell the administrator which Confluence versions are supported and what an upgrade brings.";

    public string Explanation(HealthOptions o) => $"Confluence is older than {o.MinConfluenceVersion}, the oldest supported version.";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o) =>
        Versions.Older(i.Latest.ConfluenceVersion, o.MinConfluenceVersion) ? $"Confluence {i.Latest.ConfluenceVersion} (minimum {o.MinConfluenceVersion})" : null;
}

/// <summary>Installed for a while, and nothing is used: an evaluator who needs training.</summary>
public sealed class UnusedRule : IHealthRule
{
    public string Id => "unused";

    public Severity Severity => Severity.Info;

    public string Advice => "Offer a short training session or a getting-started guide.";

    public string Explanation(HealthOptions o) => $"Installed more than {o.UnusedAfterDays} days ago, and the latest monthly report shows no spreadsheet and no query.";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o) =>
        now - i.FirstReportAt > TimeSpan.FromDays(o.UnusedAfterDays) && i.LatestMonthly is { Spreadsheets: 0, Queries: 0 } m
            ? string.Create(CultureInfo.InvariantCulture, $"0 spreadsheets and 0 queries in {m.PeriodStart:yyyy-MM}; installed {i.FirstReportAt.UtcDateTime:yyyy-MM-dd}")
            : null;
}

/// <summary>The license runs out soon.</summary>
public sealed class LicenseExpiringRule : IHealthRule
{
    public string Id => "license-expiring";

    public Severity Severity => Severity.Warning;

    public string Advice => "Remind the customer to renew (or to buy, after an evaluation) before the license expires.";

    public string Explanation(HealthOptions o) => $"The license expires within {o.LicenseExpiringDays} days (or has expired).";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o)
    {
        if (i.Latest.LicenseExpiresOn is not { } expires)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = expires.DayNumber - today.DayNumber;
        return days <= o.LicenseExpiringDays
            ? string.Create(CultureInfo.InvariantCulture, $"license expires {expires:yyyy-MM-dd} ({(days < 0 ? $"{-days} days ago" : $"in {days} days")})")
            : null;
    }
}

/// <summary>Active users fell sharply from one month to the next.</summary>
public sealed class UsageDropRule : IHealthRule
{
    public string Id => "usage-drop";

    public Severity Severity => Severity.Warning;

    public string Advice => "Ask what changed: a problem, a migration, or a team that stopped using Play SQL.";

    public string Explanation(HealthOptions o) => $"Play SQL active users fell to {o.UsageDropShare:P0} or less of the previous monthly report, which had at least {o.UsageDropMinUsers}.";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o) =>
        i is { LatestMonthly.ActiveUsers: { } now2, PreviousMonthly.ActiveUsers: { } before }
        && before >= o.UsageDropMinUsers && now2 <= before * o.UsageDropShare
            ? string.Create(CultureInfo.InvariantCulture, $"active users {before} → {now2} ({i.PreviousMonthly.PeriodStart:yyyy-MM} → {i.LatestMonthly.PeriodStart:yyyy-MM})")
            : null;
}

/// <summary>Two instances share one Server ID: most likely a staging copy of a production Confluence.</summary>
public sealed class ClonedServerIdRule : IHealthRule
{
    public string Id => "cloned-server-id";

    public Severity Severity => Severity.Info;

    public string Advice => "Probably a staging copy of production sharing its Server ID; it is counted once in statistics. Ask the administrator to regenerate the staging Server ID if it matters.";

    public string Explanation(HealthOptions o) => "Two different monthly reports (different report ids, different user counts) cover the same month for this Server ID: most likely a staging copy. Statistics count the Server ID once, with the figures of its latest report.";

    public string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o) =>
        i.UserCountsForLatestPeriod.Count >= 2
            ? string.Create(CultureInfo.InvariantCulture, $"{i.UserCountsForLatestPeriod.Count} monthly reports for {i.LatestMonthly?.PeriodStart:yyyy-MM} with user counts {string.Join(", ", i.UserCountsForLatestPeriod)}")
            : null;
}

/// <summary>Versions compared as versions (4.10.0 after 4.9.1), never as text.</summary>
internal static class Versions
{
    public static bool Older(string? version, string minimum) =>
        version is not null && NuGetVersion.TryParse(version, out var v) && NuGetVersion.TryParse(minimum, out var m) && v < m;
}
