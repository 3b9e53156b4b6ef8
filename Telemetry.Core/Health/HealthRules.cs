namespace Telemetry.Core.Health;

/// <summary>Every rule, in the order they are reported.</summary>
public static class HealthRules
{
    public static IReadOnlyList<IHealthRule> All { get; } =
    [
        new SilentRule(),
        new ConnectionFailuresRule(),
        new QueryErrorsRule(),
        new OutdatedAddonRule(),
        new UnsupportedConfluenceRule(),
        new UnusedRule(),
        new LicenseExpiringRule(),
        new UsageDropRule(),
        new ClonedServerIdRule(),
    ];

    public static IHealthRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);
}
