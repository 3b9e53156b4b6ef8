namespace Telemetry.Core.Samples;

/// <summary>
/// One simulated Confluence instance: who it is, how it evolves month by month, when it installs, opts out and goes silent.
/// Month index 0 is the first month covered by the corpus; the report for month m is generated on the 1st of month m + 1.
/// </summary>
internal sealed class InstanceProfile
{
    public required int Index { get; init; }

    public required string ServerId { get; init; }

    /// <summary>The customer's mail domain, under <c>customer.example</c>.</summary>
    public required string Domain { get; init; }

    public required string Company { get; init; }

    public required (TimeSpan Standard, TimeSpan Summer, bool Southern) Zone { get; init; }

    /// <summary>Whether a zero offset is written <c>Z</c> rather than <c>+00:00</c>.</summary>
    public required bool WritesZ { get; init; }

    public required int InstallMonth { get; init; }

    public required DateTimeOffset InstallAt { get; init; }

    /// <summary>The last month reported; below the last month of the corpus when the add-on was uninstalled.</summary>
    public required int LastPeriod { get; init; }

    public required int[] ConfluenceVersionByMonth { get; init; }

    public required int[] AddonVersionByMonth { get; init; }

    public required string Edition { get; init; }

    public required int ClusterNodes { get; init; }

    public required string Database { get; init; }

    public required double BaseUsers { get; init; }

    public required double Growth { get; init; }

    public required double ActiveShare { get; init; }

    public required double SheetsPerMonth { get; init; }

    public required double QueriesPerActiveUser { get; init; }

    /// <summary>How much each feature of <see cref="Catalog.Features"/> is used, 0 for not at all.</summary>
    public required double[] FeatureUse { get; init; }

    public required (string Type, int Count)[] Connections { get; init; }

    public required string LicenseType { get; init; }

    public required string LicenseSen { get; init; }

    public required int? LicenseMaxUsers { get; init; }

    public required string? ContactEmail { get; init; }

    public required string? ContactName { get; init; }

    /// <summary>Java version, OS, hostname and IP, for builds that send the environment block; null otherwise.</summary>
    public required (string Java, string Os, string Hostname, string Ip)? Environment { get; init; }

    /// <summary>The customer's gateway tags incoming subjects with "[EXTERNAL] ".</summary>
    public required bool ExternalTag { get; init; }

    /// <summary>Charset of the text part for add-on 3.x mail.</summary>
    public required string Charset { get; init; }

    /// <summary>Language of the covering text: en, fr or de.</summary>
    public required string Language { get; init; }

    public DateTimeOffset? OptOutAt { get; init; }

    public DateTimeOffset? OptInAt { get; init; }

    /// <summary>A month whose report is generated while opted out (a node that missed the setting), or -1.</summary>
    public int StrayPeriod { get; init; } = -1;

    public bool IsOptedOutAt(DateTimeOffset at) =>
        OptOutAt is { } t1 && at >= t1 && (OptInAt is not { } t2 || at < t2);

    /// <summary>The local time at a date and time of day, with the instance's UTC offset on that date.</summary>
    public DateTimeOffset Local(DateOnly date, TimeOnly time) => Local(Zone, date, time);

    /// <summary>The offset of a zone on a date; summer time is approximated by whole months (April to October in the north).</summary>
    public static TimeSpan OffsetOn((TimeSpan Standard, TimeSpan Summer, bool Southern) zone, DateOnly date)
    {
        var summer = zone.Southern ? date.Month is >= 10 or <= 3 : date.Month is >= 4 and <= 10;
        return summer ? zone.Summer : zone.Standard;
    }

    public static DateTimeOffset Local((TimeSpan Standard, TimeSpan Summer, bool Southern) zone, DateOnly date, TimeOnly time) =>
        new(date.ToDateTime(time), OffsetOn(zone, date));
}
