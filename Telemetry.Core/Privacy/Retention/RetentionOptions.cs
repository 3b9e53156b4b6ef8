using System.ComponentModel.DataAnnotations;

namespace Telemetry.Core.Privacy.Retention;

/// <summary>How long data is kept after the end of the relationship with an instance.</summary>
public sealed record RetentionOptions
{
    public static readonly TimeSpan DefaultDataRetention = TimeSpan.FromDays(730);
    public static readonly TimeSpan DefaultAuditRetention = TimeSpan.FromDays(365);

    /// <summary>Reports, opt events and message records: this long after the end of the relationship (2 years).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan DataRetention { get; init; } = DefaultDataRetention;

    /// <summary>Audit entries: this long after they were written (1 year).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan AuditRetention { get; init; } = DefaultAuditRetention;
}
