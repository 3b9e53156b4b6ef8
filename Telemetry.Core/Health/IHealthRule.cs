namespace Telemetry.Core.Health;

/// <summary>
/// One health rule: a small class that says whether an instance is in trouble, with the figures that show it,
/// in plain words, and what to do. Adding a rule touches no other.
/// </summary>
public interface IHealthRule
{
    /// <summary>The rule's id in flags, configuration and commands: "silent".</summary>
    string Id { get; }

    Severity Severity { get; }

    /// <summary>What the rule means, in plain words, with its thresholds.</summary>
    string Explanation(HealthOptions o);

    /// <summary>What to do about it, for outreach and alerts.</summary>
    string Advice { get; }

    /// <summary>The figures that trigger the rule, or null when it does not hold.</summary>
    string? Check(InstanceHistory i, DateTimeOffset now, HealthOptions o);
}
