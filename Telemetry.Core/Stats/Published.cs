using System.Globalization;

using Telemetry.Core.Health;

namespace Telemetry.Core.Stats;

/// <summary>Whether a figure may be published as it is.</summary>
public enum Disclosure
{
    /// <summary>Published as it is.</summary>
    Shown,

    /// <summary>Fewer than 5 instances (primary suppression): published as "&lt;5".</summary>
    Small,

    /// <summary>5 or more, hidden so that a small figure cannot be worked out from it (complementary suppression): published as "x".</summary>
    Hidden,
}

/// <summary>A count as it may be published: its value, and whether it may be shown.</summary>
public readonly record struct Figure(long Value, Disclosure Disclosure = Disclosure.Shown)
{
    public const string SmallText = "<5";

    public const string HiddenText = "x";

    public bool IsShown => Disclosure == Disclosure.Shown;

    public static implicit operator Figure(long value) => new(value);

    /// <summary>What scripts get: the number, or the text "&lt;5" or "x" when it is hidden.</summary>
    public object Raw => Disclosure switch
    {
        Disclosure.Shown => Value,
        Disclosure.Small => SmallText,
        _ => HiddenText,
    };

    /// <summary>What people read: the number with thousands separators, or "&lt;5" or "x".</summary>
    public string Text => Disclosure switch
    {
        Disclosure.Shown => Value.ToString("N0", CultureInfo.InvariantCulture),
        Disclosure.Small => SmallText,
        _ => HiddenText,
    };

    /// <summary>A share of this figure that may be published only when the figure may.</summary>
    public double? ShareOf(long total) => IsShown ? (total == 0 ? 0 : (double)Value / total) : null;
}

/// <summary>The headline figures as they may be published.</summary>
public sealed record PublishedSummary(
    DateOnly AsOf,
    int ActiveWindowDays,
    Figure ActiveInstances,
    Figure SilentInstances,
    Figure OptedOutInstances,
    Figure Users,
    Figure ActiveUsers);

/// <summary>
/// One month of the trend, as it stood at the end of the month (or at the as-of date for the current month).
/// </summary>
/// <param name="Month">The first day of the month.</param>
/// <param name="ActiveInstances">Active instances at the month's end.</param>
/// <param name="Users">Confluence users of the active instances at the month's end.</param>
/// <param name="ActiveUsers">Play SQL active users of the active instances at the month's end.</param>
/// <param name="NewInstallations">Instances that sent an install report generated in the month.</param>
/// <param name="WentSilent">Instances whose latest report became older than the active window during the month, with no newer report.</param>
/// <param name="OptedOut">Instances that opted out during the month (opt-out generated in the month).</param>
public sealed record TrendPoint(
    DateOnly Month,
    Figure ActiveInstances,
    Figure Users,
    Figure ActiveUsers,
    Figure NewInstallations,
    Figure WentSilent,
    Figure OptedOut);

/// <summary>Adoption of one feature: instances using it among the active instances whose latest report is monthly.</summary>
/// <param name="Share">Null when the count is hidden.</param>
public sealed record PublishedFeature(string Feature, Figure Instances, double? Share);

/// <summary>Adoption of one feature in one month of a trend.</summary>
/// <param name="Base">Active instances whose latest report is monthly, at the month's end.</param>
public sealed record FeatureTrendPoint(DateOnly Month, string Feature, Figure Instances, double? Share, Figure Base);

/// <summary>
/// One version of a distribution: instances running it, and instances running it or a later one.
/// </summary>
/// <param name="AtLeast">
/// Instances running this version or a later one (versions ordered as versions); null for "unknown" and for text that
/// is not a version, which count in no "at least" (the share's base is still every active instance).
/// </param>
public sealed record VersionRow(string Version, Figure Instances, double? Share, Figure? AtLeast, double? AtLeastShare);

/// <summary>One license type: active instances and their Confluence users.</summary>
public sealed record LicenseRow(string LicenseType, Figure Instances, double? Share, Figure Users);

/// <summary>One edition (server or datacenter), or one cluster size among data center instances.</summary>
/// <param name="ClusterNodes">
/// Null for the edition's own row; for data center instances by cluster size, the number of nodes, or 0 when the
/// report does not give it.
/// </param>
public sealed record EditionRow(string Edition, int? ClusterNodes, Figure Instances, double? Share);

/// <summary>One database type: active instances with at least one connection of that type, and their connections.</summary>
/// <param name="Share">Share of all active instances (an instance may use several types).</param>
public sealed record ConnectionRow(string Type, Figure Instances, double? Share, Figure Connections);

/// <summary>Everything the HTML report shows, already suppressed when it is to be shared.</summary>
/// <param name="Trend">24 months ending with the as-of date's month.</param>
/// <param name="MonthlyBase">Active instances whose latest report is monthly: the base of feature adoption.</param>
/// <param name="OpenFlags">Open health flags; null when shareable (never part of a shared report).</param>
public sealed record ReportData(
    DateOnly AsOf,
    int ActiveWindowDays,
    bool Shareable,
    PublishedSummary Summary,
    IReadOnlyList<TrendPoint> Trend,
    Figure MonthlyBase,
    IReadOnlyList<PublishedFeature> Features,
    IReadOnlyList<VersionRow> AddonVersions,
    IReadOnlyList<VersionRow> ConfluenceVersions,
    IReadOnlyList<LicenseRow> Licenses,
    IReadOnlyList<EditionRow> Editions,
    IReadOnlyList<ConnectionRow> Connections,
    IReadOnlyList<HealthFlag>? OpenFlags);
