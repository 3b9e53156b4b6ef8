using Telemetry.Core.Reports;

namespace Telemetry.Core.Ingestion;

/// <summary>
/// What one ingestion did. Every report found and every message without a report counts once in exactly
/// one outcome; <see cref="Reports"/> counts the reports found (valid or not).
/// </summary>
public sealed class IngestSummary
{
    public long Messages { get; set; }

    public long Reports { get; set; }

    public long Accepted { get; set; }

    public long Duplicate { get; set; }

    public long Dropped { get; set; }

    public long Invalid { get; set; }

    public long Unsupported { get; set; }

    public long NotReport { get; set; }

    /// <summary>Messages recognised by their hash as already processed (counted as duplicates above).</summary>
    public long Repeats { get; set; }

    public TimeSpan Elapsed { get; set; }

    public void Count(Outcome outcome, long n = 1)
    {
        switch (outcome)
        {
            case Outcome.Accepted: Accepted += n; break;
            case Outcome.Duplicate: Duplicate += n; break;
            case Outcome.Dropped: Dropped += n; break;
            case Outcome.Invalid: Invalid += n; break;
            case Outcome.Unsupported: Unsupported += n; break;
            case Outcome.NotReport: NotReport += n; break;
            default: throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null);
        }
    }
}

/// <summary>The outcome of one message, for logs, dry runs and filing.</summary>
/// <param name="Outcome">The combined outcome that decides where the message is filed.</param>
/// <param name="Items">The outcome of each report found, or of the message when none was.</param>
/// <param name="Repeat">True when the message had been processed before and was recognised by its hash.</param>
/// <param name="Recorded">The outcome recorded for the message, which decides where it is filed: for a repeat, the one
/// recorded when it was first processed (a repeated opted-out message is still deleted, not filed as processed).</param>
public sealed record MessageResult(string Origin, Outcome Outcome, IReadOnlyList<ItemResult> Items, bool Repeat, Outcome Recorded)
{
    /// <summary>Set aside because processing it stopped the receiver several times: filed under Failed.</summary>
    public bool Failed { get; init; }
}

/// <summary>The outcome of one report found in a message (or of the message itself when it held none).</summary>
public sealed record ItemResult(string Source, Outcome Outcome, string? Reason, bool IsReport);
