namespace Telemetry.Core.Reports;

/// <summary>The result of parsing one report: a report, or why it cannot be accepted.</summary>
public readonly record struct ParseResult(Report? Report, Outcome? Rejection, string? Reason)
{
    public static ParseResult Ok(Report report) => new(report, null, null);

    public static ParseResult Invalid(string reason) => new(null, Outcome.Invalid, reason);

    public static ParseResult Unsupported(string reason) => new(null, Outcome.Unsupported, reason);

    public ExtractedItem ToItem(string source) => Report is { } r
        ? ExtractedItem.Valid(source, r)
        : ExtractedItem.Rejected(source, Rejection!.Value, Reason!);
}

/// <summary>Thrown inside the parsers to stop at the first broken rule; never escapes them.</summary>
internal sealed class ReportRuleException(string reason) : Exception(reason);
