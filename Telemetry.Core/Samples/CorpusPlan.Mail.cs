using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>The messages of the plan: how reports travel, and what else lands in the inbox.</summary>
internal sealed partial class CorpusPlan
{
    /// <summary>
    /// Plans the mail of one instance's reports. Opt-in notices are never late: a report generated after an opt-in
    /// must not arrive before it, or its fate would depend on arrival order (a receiver would drop it for good).
    /// </summary>
    private void PlanMessages(InstanceProfile p, int firstReport, List<PlannedMessage> messages, Random r)
    {
        var backlogAllowed = p.OptOutAt is null;
        int? previousPlain = null;
        for (var idx = firstReport; idx < Reports.Count; idx++)
        {
            var report = Reports[idx];
            var sent = report.GeneratedAt.AddSeconds(r.Between(5, 240));
            var received = sent.AddSeconds(r.Between(10, 1800));
            var flags = MessageFlags.None;
            if (report.Kind != ReportKind.OptIn && r.Chance(Options.LateRate))
            {
                received = received.AddDays(r.Between(14, 56)).AddMinutes(r.Next(1440));
                flags |= MessageFlags.Late;
            }

            if (report.Kind == ReportKind.Monthly && report.Format <= 2 && backlogAllowed && previousPlain is { } prev && r.Chance(BacklogRate))
            {
                // An administrator forwards the two reports the wiki could not send, some days later.
                var forwarded = report.GeneratedAt.AddDays(r.Between(3, 20)).AddMinutes(r.Between(60, 600));
                var arrives = forwarded.AddSeconds(r.Between(10, 600));
                messages[prev] = messages[prev] with
                {
                    Second = idx,
                    SentAt = forwarded,
                    ReceivedAt = arrives,
                    ArrivesAt = arrives,
                    Flags = MessageFlags.Backlog,
                };
                previousPlain = null;
                continue;
            }

            messages.Add(new PlannedMessage(idx, -1, NoiseKind.None, sent, received, received, r.Next(), flags, messages.Count));
            previousPlain = report.Kind == ReportKind.Monthly && flags == MessageFlags.None && report.Format <= 2
                ? messages.Count - 1
                : null;

            if (!report.Kind.IsNotice() && r.Chance(Options.ResendRate))
            {
                var again = sent.AddMinutes(r.Between(60, 20 * 24 * 60));
                var arrives = again.AddSeconds(r.Between(10, 1800));
                messages.Add(new PlannedMessage(idx, -1, NoiseKind.None, again, arrives, arrives, r.Next(), MessageFlags.Resend, messages.Count));
            }
        }
    }

    private void AddNoise(List<PlannedMessage> messages, Random r)
    {
        var count = (int)Math.Round(messages.Count * Options.NoiseRate / (1 - Options.NoiseRate));
        var start = new DateTimeOffset(FirstPeriod.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var span = new DateTimeOffset(FirstPeriod.AddMonths(Options.Months + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - start;
        for (var i = 0; i < count; i++)
        {
            var at = start + TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds * r.NextDouble()));
            var kind = r.Weighted<NoiseKind>([(NoiseKind.Bounce, 25), (NoiseKind.AutoReply, 30), (NoiseKind.Human, 25), (NoiseKind.Spam, 20)]);
            var arrives = at.AddSeconds(r.Between(2, 600));
            messages.Add(new PlannedMessage(-1, -1, kind, at, arrives, arrives, r.Next(), MessageFlags.None, messages.Count));
        }
    }

    /// <summary>Gateways deliver some messages twice: the same bytes, minutes (sometimes days) later.</summary>
    private void AddCopies(List<PlannedMessage> messages, Random r)
    {
        var count = messages.Count;
        for (var i = 0; i < count; i++)
        {
            if (r.Chance(Options.DuplicateRate))
            {
                var m = messages[i];
                var delay = r.Chance(0.8) ? TimeSpan.FromSeconds(r.Between(1, 600)) : TimeSpan.FromMinutes(r.Between(60, 72 * 60));
                messages.Add(m with { ArrivesAt = m.ArrivesAt + delay, Flags = m.Flags | MessageFlags.Copy, Sequence = messages.Count });
            }
        }
    }
}
