using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// What a receiver following the contract decides, message by message, when it processes the plan in delivery order;
/// and the final state it must reach whatever the order.
/// </summary>
/// <remarks>
/// Outcomes are those at the time each message is processed. An opt-out arriving later erases reports accepted
/// before it: their messages still say "accepted", but the reports are not in <see cref="AcceptedReportIndices"/>.
/// Opt-in and opt-out notices are never dropped: the first copy is accepted, later ones are duplicates.
/// </remarks>
internal static class DeliverySimulation
{
    /// <summary>The outcome of each item of each message of the plan, in delivery order (one or two items per message).</summary>
    public static Outcome[][] Outcomes(CorpusPlan plan)
    {
        var events = new Dictionary<int, List<(DateTimeOffset At, bool OptOut)>>();
        var stored = new Dictionary<int, HashSet<int>>();
        var seenNotices = new HashSet<int>();
        var result = new Outcome[plan.Messages.Count][];
        for (var i = 0; i < plan.Messages.Count; i++)
        {
            var m = plan.Messages[i];
            if (m.First < 0)
            {
                result[i] = [Outcome.NotReport];
                continue;
            }

            result[i] = m.Second < 0
                ? [Decide(m.First)]
                : [Decide(m.First), Decide(m.Second)];
        }

        return result;

        Outcome Decide(int index)
        {
            var r = plan.Reports[index];
            if (r.Breakage != Breakage.None)
            {
                return Outcome.Invalid;
            }

            if (r.Format > 2)
            {
                return Outcome.Unsupported;
            }

            if (r.Kind.IsNotice())
            {
                if (!seenNotices.Add(index))
                {
                    return Outcome.Duplicate;
                }

                var known = Get(events, r.Instance);
                known.Add((r.GeneratedAt, r.Kind == ReportKind.OptOut));
                if (r.Kind == ReportKind.OptOut)
                {
                    Get(stored, r.Instance).RemoveWhere(s => OptOutRule.IsSuppressed(known, plan.Reports[s].GeneratedAt));
                }

                return Outcome.Accepted;
            }

            if (OptOutRule.IsSuppressed(events.GetValueOrDefault(r.Instance), r.GeneratedAt))
            {
                return Outcome.Dropped;
            }

            return Get(stored, r.Instance).Add(index) ? Outcome.Accepted : Outcome.Duplicate;
        }
    }

    /// <summary>The usable reports that must be stored in the end, judged against every notice of their instance.</summary>
    public static IEnumerable<int> AcceptedReportIndices(CorpusPlan plan)
    {
        var events = new Dictionary<int, List<(DateTimeOffset At, bool OptOut)>>();
        foreach (var r in plan.Reports)
        {
            if (r.Kind.IsNotice())
            {
                Get(events, r.Instance).Add((r.GeneratedAt, r.Kind == ReportKind.OptOut));
            }
        }

        for (var i = 0; i < plan.Reports.Count; i++)
        {
            var r = plan.Reports[i];
            if (r.IsUsable && !OptOutRule.IsSuppressed(events.GetValueOrDefault(r.Instance), r.GeneratedAt))
            {
                yield return i;
            }
        }
    }

    private static T Get<T>(Dictionary<int, T> map, int key)
        where T : new()
    {
        if (!map.TryGetValue(key, out var value))
        {
            value = new T();
            map[key] = value;
        }

        return value;
    }
}
