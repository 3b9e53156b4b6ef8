namespace Telemetry.Core.Privacy;

/// <summary>
/// The contract's opt-out timing, decided by the instant a report was generated, never by arrival:
/// an opt-out at T suppresses every report generated at or before T, and everything after T until an opt-in
/// generated later than T. The result depends only on the set of events, so arrival order does not matter.
/// </summary>
public static class OptOutPolicy
{
    /// <summary>True when a report generated at <paramref name="generatedAt"/> must not be kept.</summary>
    public static bool IsSuppressed(IEnumerable<OptEvent> events, DateTimeOffset generatedAt)
    {
        DateTimeOffset? lastOptOut = null;
        var list = events as IReadOnlyCollection<OptEvent> ?? events.ToList();
        foreach (var e in list)
        {
            if (e.IsOptOut && (lastOptOut is null || e.At > lastOptOut))
            {
                lastOptOut = e.At;
            }
        }

        if (lastOptOut is null)
        {
            return false;
        }

        if (lastOptOut >= generatedAt)
        {
            return true;
        }

        // After the last opt-out: kept only once an opt-in generated after that opt-out has turned reporting back on.
        foreach (var e in list)
        {
            if (!e.IsOptOut && e.At > lastOptOut && e.At <= generatedAt)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the instance stood opted out at <paramref name="instant"/>: its latest event at or before that
    /// instant is an opt-out (an opt-out and an opt-in at the same instant count as an opt-out).
    /// </summary>
    public static bool IsOptedOutAt(IEnumerable<OptEvent> events, DateTimeOffset instant)
    {
        DateTimeOffset? lastOptOut = null;
        var list = events as IReadOnlyCollection<OptEvent> ?? events.ToList();
        foreach (var e in list)
        {
            if (e.IsOptOut && e.At <= instant && (lastOptOut is null || e.At > lastOptOut))
            {
                lastOptOut = e.At;
            }
        }

        if (lastOptOut is null)
        {
            return false;
        }

        return !list.Any(e => !e.IsOptOut && e.At > lastOptOut && e.At <= instant);
    }
}
