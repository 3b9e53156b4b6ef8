namespace Telemetry.Core.Alerts;

/// <summary>What to do about a flag, per rule id: the default text of each rule, or the caller's.</summary>
public static class AlertAdvice
{
    public const string Fallback = "Look at the instance's latest reports (telemetry instance show) and the rule's description in the docs.";

    /// <summary>The default advice per rule id.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["silent"] = "The instance stopped reporting: it may have been uninstalled or its outgoing mail broke. Check the Marketplace for an uninstall; otherwise ask the administrator to check Confluence's mail server settings.",
        ["connection-failures"] = "Many connection failures: the add-on cannot reach a data source. Offer help checking the data source settings, drivers and firewall.",
        ["query-errors"] = "Many queries fail: point the administrator to the troubleshooting guide and offer to look at the failing queries.",
        ["outdated-addon"] = "The add-on is older than the supported minimum: recommend the upgrade and its fixes.",
        ["unsupported-confluence"] = "Confluence is older than the supported minimum: tell the administrator which versions are supported and what upgrading brings.",
        ["unused"] = "Installed for over a month without spreadsheets or queries: offer a short onboarding session or the getting-started guide.",
        ["license-expiring"] = "The license expires soon: check whether the customer means to renew, and answer any questions.",
        ["usage-drop"] = "Active users fell by half or more: ask whether something broke or changed (an upgrade, a migration, a lost data source).",
        ["cloned-server-id"] = "Two instances report the same Server ID (most likely a staging copy of production): they are counted once; suggest giving the copy its own Server ID.",
    };

    /// <summary>The caller's advice where it has some, else the default of the rule, else <see cref="Fallback"/>.</summary>
    public static Func<string, string> With(IReadOnlyDictionary<string, string>? overrides) =>
        rule => overrides is not null && overrides.TryGetValue(rule, out var text) ? text : Default(rule);

    public static string Default(string rule) => Defaults.TryGetValue(rule, out var text) ? text : Fallback;
}
