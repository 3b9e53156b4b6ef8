namespace Telemetry.Core.Health;

/// <summary>The thresholds of the health rules, under <c>Telemetry:Health</c>; each rule explains itself with them.</summary>
public sealed class HealthOptions
{
    /// <summary>silent: the latest report is older than this.</summary>
    public int SilentAfterDays { get; set; } = 45;

    /// <summary>connection-failures: errors.connectionFailures of the latest monthly report at least this.</summary>
    public long ConnectionFailures { get; set; } = 10;

    /// <summary>query-errors: errors.queryErrors at least this share of usage.queries...</summary>
    public double QueryErrorShare { get; set; } = 0.05;

    /// <summary>...when usage.queries is at least this.</summary>
    public long QueryErrorMinQueries { get; set; } = 100;

    /// <summary>outdated-addon: Play SQL older than this version.</summary>
    public string MinAddonVersion { get; set; } = "4.0.0";

    /// <summary>unsupported-confluence: Confluence older than this version.</summary>
    public string MinConfluenceVersion { get; set; } = "7.19.0";

    /// <summary>unused: installed more than this many days ago and no spreadsheet and no query in the latest monthly report.</summary>
    public int UnusedAfterDays { get; set; } = 30;

    /// <summary>license-expiring: the license expires within this many days.</summary>
    public int LicenseExpiringDays { get; set; } = 30;

    /// <summary>usage-drop: active users fell to this share or less of the previous monthly report's...</summary>
    public double UsageDropShare { get; set; } = 0.5;

    /// <summary>...which had at least this many active users.</summary>
    public long UsageDropMinUsers { get; set; } = 10;
}
