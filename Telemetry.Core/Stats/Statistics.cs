namespace Telemetry.Core.Stats;

/// <summary>The headline figures at an as-of date.</summary>
public sealed record Summary(
    DateOnly AsOf,
    int ActiveWindowDays,
    long ActiveInstances,
    long SilentInstances,
    long OptedOutInstances,
    long Users,
    long ActiveUsers);

/// <summary>Adoption of one feature among active instances whose latest report is a monthly one.</summary>
public sealed record FeatureAdoption(string Feature, long Instances, double Share);

/// <summary>How many active instances run one version.</summary>
public sealed record VersionShare(string Version, long Instances, double Share);

/// <summary>Which version a distribution is about.</summary>
public enum VersionOf
{
    Addon,
    Confluence,
}

/// <summary>One month of the trend, as it stood at the month's end (or at the as-of date for its month).</summary>
/// <param name="Month">The first day of the month.</param>
/// <param name="NewInstallations">Instances with an install report generated in the month.</param>
/// <param name="WentSilent">Instances whose latest report passed out of the active window during the month with no newer report.</param>
/// <param name="OptedOut">Instances with an opt-out generated in the month.</param>
public sealed record MonthFigures(
    DateOnly Month,
    long ActiveInstances,
    long Users,
    long ActiveUsers,
    long NewInstallations,
    long WentSilent,
    long OptedOut);

/// <summary>Active instances and their Confluence users for one license type ("unknown" when not sent).</summary>
public sealed record LicenseCount(string LicenseType, long Instances, long Users);

/// <summary>Active instances using one database type (at least one connection) and the connections they have.</summary>
public sealed record ConnectionCount(string Type, long Instances, long Connections);

/// <summary>Active instances of one edition and cluster size.</summary>
/// <param name="Edition">server, datacenter, or unknown (format 1 reports do not say).</param>
/// <param name="ClusterNodes">The cluster size the report gives, or null when it gives none.</param>
public sealed record EditionCount(string Edition, int? ClusterNodes, long Instances);

/// <summary>Adoption of one feature in one month.</summary>
/// <param name="Base">Active instances whose latest report is monthly at the month's end.</param>
public sealed record FeatureMonth(DateOnly Month, string Feature, long Instances, long Base);
