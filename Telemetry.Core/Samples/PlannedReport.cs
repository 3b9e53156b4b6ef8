using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>A rule a generated report breaks on purpose.</summary>
internal enum Breakage : byte
{
    None,
    NegativeCount,
    NonIntegerCount,
    BadServerId,
    NoOffset,
    MissingPeriod,
    PeriodReversed,
}

/// <summary>
/// One report an instance generates. Every message carrying it (copies, resends) renders the same report.
/// <c>Month</c> is the month whose state the report describes (the period of a monthly report), -1 for notices;
/// <c>Format</c> is 1 for text blocks, 2 for JSON, 3 for a future JSON version the receiver must set aside.
/// </summary>
internal readonly record struct PlannedReport(
    int Instance,
    ReportKind Kind,
    DateTimeOffset GeneratedAt,
    int Month,
    Guid? ReportId,
    int Format,
    Breakage Breakage)
{
    /// <summary>Whether the report counts in the ground truth: valid, understood, and carrying usage data.</summary>
    public bool IsUsable => Breakage == Breakage.None && Format <= 2 && !Kind.IsNotice();
}
