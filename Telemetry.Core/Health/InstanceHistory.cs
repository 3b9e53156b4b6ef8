namespace Telemetry.Core.Health;

/// <summary>What the rules look at for one instance, as it stood at the evaluation date.</summary>
public sealed record InstanceHistory
{
    public required string ServerId { get; init; }

    /// <summary>The instant of the first stored report (its installation, as far as we know).</summary>
    public required DateTimeOffset FirstReportAt { get; init; }

    /// <summary>The latest install or monthly report.</summary>
    public required ReportFigures Latest { get; init; }

    /// <summary>The latest monthly report, and the one before it.</summary>
    public ReportFigures? LatestMonthly { get; init; }

    public ReportFigures? PreviousMonthly { get; init; }

    /// <summary>Distinct user counts among different monthly reports for the latest monthly report's period.</summary>
    public IReadOnlyList<long> UserCountsForLatestPeriod { get; init; } = [];
}

/// <summary>The figures of one report the rules use.</summary>
public sealed record ReportFigures
{
    public required string Kind { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public DateOnly? PeriodStart { get; init; }

    public string? AddonVersion { get; init; }

    public string? ConfluenceVersion { get; init; }

    public long? UserCount { get; init; }

    public long? ActiveUsers { get; init; }

    public long? Spreadsheets { get; init; }

    public long? Queries { get; init; }

    public long? ConnectionFailures { get; init; }

    public long? QueryErrors { get; init; }

    public DateOnly? LicenseExpiresOn { get; init; }
}
