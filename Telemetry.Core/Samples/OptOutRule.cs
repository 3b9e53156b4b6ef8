namespace Telemetry.Core.Samples;

/// <summary>
/// The contract's opt-out rule, applied to the notices of one instance: an opt-out at T suppresses every report
/// generated at or before T, and everything generated after T until an opt-in generated later than T.
/// </summary>
internal static class OptOutRule
{
    public static bool IsSuppressed(IReadOnlyList<(DateTimeOffset At, bool OptOut)>? events, DateTimeOffset generatedAt)
    {
        if (events is null)
        {
            return false;
        }

        (DateTimeOffset At, bool OptOut)? latestBefore = null;
        foreach (var e in events)
        {
            if (e.OptOut && e.At >= generatedAt)
            {
                return true;
            }

            if (e.At <= generatedAt && (latestBefore is null || e.At > latestBefore.Value.At))
            {
                latestBefore = e;
            }
        }

        return latestBefore is { OptOut: true };
    }
}
