namespace Telemetry.Core.Health;

/// <summary>How urgent a flag is.</summary>
public enum Severity
{
    Info,
    Warning,
    Critical,
}

/// <summary>Where a flag stands.</summary>
public enum FlagStatus
{
    /// <summary>Raised and not handled yet.</summary>
    Open,

    /// <summary>A person has seen it (with a note).</summary>
    Acknowledged,

    /// <summary>Hidden until a date, then open again if the rule still holds.</summary>
    Snoozed,

    /// <summary>The rule stopped holding on a newer report; a new occurrence is a new flag.</summary>
    Resolved,
}

/// <summary>
/// An instance in trouble according to one rule: what triggered it (the figures), since when, and what a person did.
/// </summary>
public sealed record HealthFlag
{
    public required long Id { get; init; }

    public required string ServerId { get; init; }

    /// <summary>The rule's id: "silent", "connection-failures", ...</summary>
    public required string Rule { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>The figures that triggered it, in words a person reads ("connectionFailures 12 (threshold 10)").</summary>
    public required string Figures { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public required FlagStatus Status { get; init; }

    public string? Note { get; init; }

    public DateTimeOffset? SnoozedUntil { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }
}
