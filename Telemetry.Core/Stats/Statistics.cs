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
