namespace Telemetry.Core.Reports;

/// <summary>
/// The one outcome every report found, and every message without a report, ends in.
/// </summary>
public enum Outcome
{
    /// <summary>A valid report from an instance that was not opted out when it was generated: stored.</summary>
    Accepted,

    /// <summary>The same report (same identity) was already stored: nothing new is kept.</summary>
    Duplicate,

    /// <summary>The instance was opted out when the report was generated: nothing of it is kept.</summary>
    Dropped,

    /// <summary>Looks like a report but breaks a rule of the format: set aside for a person.</summary>
    Invalid,

    /// <summary>A format version newer than this receiver understands: set aside until an upgrade.</summary>
    Unsupported,

    /// <summary>Bounces, auto-replies, spam, human mail: not an error.</summary>
    NotReport,
}

public static class Outcomes
{
    /// <summary>The word used in the database, logs and JSON output.</summary>
    public static string ToWire(this Outcome outcome) => outcome switch
    {
        Outcome.Accepted => "accepted",
        Outcome.Duplicate => "duplicate",
        Outcome.Dropped => "dropped",
        Outcome.Invalid => "invalid",
        Outcome.Unsupported => "unsupported",
        Outcome.NotReport => "not-a-report",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static Outcome FromWire(string text) => text switch
    {
        "accepted" => Outcome.Accepted,
        "duplicate" => Outcome.Duplicate,
        "dropped" => Outcome.Dropped,
        "invalid" => Outcome.Invalid,
        "unsupported" => Outcome.Unsupported,
        "not-a-report" => Outcome.NotReport,
        _ => throw new FormatException($"Unknown outcome '{text}'."),
    };

    /// <summary>
    /// The outcome of a whole message from the outcomes of its items, for filing it:
    /// something a person must look at wins over what went through.
    /// </summary>
    public static Outcome Combine(IEnumerable<Outcome> items)
    {
        var seen = new HashSet<Outcome>(items);
        if (seen.Contains(Outcome.Unsupported))
        {
            return Outcome.Unsupported;
        }

        if (seen.Contains(Outcome.Invalid))
        {
            return Outcome.Invalid;
        }

        if (seen.Contains(Outcome.Accepted))
        {
            return Outcome.Accepted;
        }

        if (seen.Contains(Outcome.Duplicate))
        {
            return Outcome.Duplicate;
        }

        if (seen.Contains(Outcome.Dropped))
        {
            return Outcome.Dropped;
        }

        return Outcome.NotReport;
    }
}
