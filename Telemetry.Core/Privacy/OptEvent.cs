using Telemetry.Core.Reports;

namespace Telemetry.Core.Privacy;

/// <summary>Where an opt-out or opt-in event came from.</summary>
public enum OptEventSource
{
    /// <summary>A notice sent by the add-on when an administrator changed the setting.</summary>
    Notice,

    /// <summary>Recorded by hand (a customer asked by email).</summary>
    Manual,
}

/// <summary>An opt-out or opt-in of one instance at one instant.</summary>
public sealed record OptEvent(ServerId ServerId, bool IsOptOut, DateTimeOffset At, OptEventSource Source);
