namespace Telemetry.Core.Reports;

/// <summary>
/// One thing found in a message: a valid report, something that looks like a report but cannot be accepted,
/// or a verdict on the whole message (not a report, or broken beyond reading).
/// </summary>
public sealed record ExtractedItem
{
    /// <summary>Where in the message it was found, for people: "attachment playsql-report.json", "text block 1", "message".</summary>
    public required string Source { get; init; }

    /// <summary>The valid report, when there is one.</summary>
    public Report? Report { get; init; }

    /// <summary>Why the item cannot be accepted (invalid, unsupported, not a report), when it cannot.</summary>
    public Outcome? Rejection { get; init; }

    /// <summary>The reason a person can act on, for rejections.</summary>
    public string? Reason { get; init; }

    /// <summary>True when this item is a report found in the message (valid or not); false for a verdict on the whole message.</summary>
    public required bool IsReport { get; init; }

    public static ExtractedItem Valid(string source, Report report) =>
        new() { Source = source, Report = report, IsReport = true };

    public static ExtractedItem Rejected(string source, Outcome outcome, string reason) =>
        new() { Source = source, Rejection = outcome, Reason = reason, IsReport = true };

    /// <summary>A verdict on the whole message: not a report, or invalid before any report could be read.</summary>
    public static ExtractedItem Message(Outcome outcome, string reason) =>
        new() { Source = "message", Rejection = outcome, Reason = reason, IsReport = false };
}
