using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// The whole corpus as small values: instances, the reports they generate and the messages that carry them, in
/// delivery order. Planning is cheap; the bytes of each message are rendered from the plan one at a time.
/// </summary>
internal sealed partial class CorpusPlan
{
    private const double BacklogRate = 0.02;

    private CorpusPlan(CorpusOptions options, DateOnly firstPeriod)
    {
        Options = options;
        FirstPeriod = firstPeriod;
    }

    public CorpusOptions Options { get; }

    /// <summary>The first month covered by monthly reports (month index 0).</summary>
    public DateOnly FirstPeriod { get; }

    public List<InstanceProfile> Profiles { get; } = [];

    public List<PlannedReport> Reports { get; } = [];

    /// <summary>The messages in delivery order.</summary>
    public List<PlannedMessage> Messages { get; } = [];

    /// <param name="withMessages">
    /// False to plan only instances and reports (the ground truth): messages, noise and copies draw from their own
    /// random streams, after the reports, so the reports are the same either way.
    /// </param>
    public static CorpusPlan Build(CorpusOptions options, bool withMessages = true)
    {
        options.Validate();
        var last = new DateOnly(options.LastMonth.Year, options.LastMonth.Month, 1);
        var plan = new CorpusPlan(options, last.AddMonths(-(options.Months - 1)));
        var random = new Random(options.Seed);
        var serverIds = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<PlannedMessage>();
        for (var i = 0; i < options.Instances; i++)
        {
            string serverId;
            do
            {
                serverId = random.NextServerId();
            }
            while (!serverIds.Add(serverId));

            var profile = InstanceFactory.Create(i, serverId, options, plan.FirstPeriod, new Random(RandomExtensions.Derive(options.Seed, i, 1)));
            plan.Profiles.Add(profile);
            var first = plan.Reports.Count;
            plan.PlanReports(profile, new Random(RandomExtensions.Derive(options.Seed, i, 2)));
            if (withMessages)
            {
                plan.PlanMessages(profile, first, messages, new Random(RandomExtensions.Derive(options.Seed, i, 3)));
            }
        }

        if (!withMessages)
        {
            return plan;
        }

        plan.AddNoise(messages, random);
        plan.AddCopies(messages, random);
        messages.Sort(static (a, b) => a.ArrivesAt.UtcTicks != b.ArrivesAt.UtcTicks
            ? a.ArrivesAt.UtcTicks.CompareTo(b.ArrivesAt.UtcTicks)
            : a.Sequence.CompareTo(b.Sequence));
        plan.Messages.AddRange(messages);
        return plan;
    }

    /// <summary>The month index of a date, clamped to the months covered.</summary>
    public int MonthOf(DateTimeOffset at)
    {
        var d = DateOnly.FromDateTime(at.UtcDateTime);
        var m = ((d.Year - FirstPeriod.Year) * 12) + d.Month - FirstPeriod.Month;
        return Math.Clamp(m, 0, Options.Months - 1);
    }

    private void PlanReports(InstanceProfile p, Random r)
    {
        var events = new List<PlannedReport>();
        events.Add(Usage(p, ReportKind.Install, p.InstallAt, p.InstallMonth, r));
        for (var m = p.InstallMonth; m <= p.LastPeriod; m++)
        {
            var at = p.Local(FirstPeriod.AddMonths(m + 1), new TimeOnly(2, 0)).AddSeconds(r.Between(0, 300));
            if (p.IsOptedOutAt(at) && m != p.StrayPeriod)
            {
                continue;
            }

            events.Add(Usage(p, ReportKind.Monthly, at, m, r));
        }

        if (p.OptOutAt is { } optOut)
        {
            events.Add(Notice(p, ReportKind.OptOut, optOut, r));
        }

        if (p.OptInAt is { } optIn)
        {
            events.Add(Notice(p, ReportKind.OptIn, optIn, r));
        }

        foreach (var e in events.OrderBy(e => e.GeneratedAt.UtcTicks))
        {
            Reports.Add(e);
            if (e.Format == 2 && !e.Kind.IsNotice() && r.Chance(Options.FutureFormatRate))
            {
                // A pre-release build (5.0) also reports, in a format this receiver does not know yet.
                Reports.Add(e with { GeneratedAt = e.GeneratedAt.AddMinutes(r.Between(5, 90)), ReportId = r.NextGuid(), Format = 3, Breakage = Breakage.None });
            }
        }
    }

    private PlannedReport Usage(InstanceProfile p, ReportKind kind, DateTimeOffset at, int month, Random r)
    {
        var addon = p.AddonVersionByMonth[month];
        var breakage = Breakage.None;
        if (r.Chance(Options.InvalidRate))
        {
            var choices = kind == ReportKind.Monthly
                ? new[] { Breakage.NegativeCount, Breakage.NonIntegerCount, Breakage.BadServerId, Breakage.NoOffset, Breakage.MissingPeriod, Breakage.PeriodReversed }
                : [Breakage.NegativeCount, Breakage.NonIntegerCount, Breakage.BadServerId, Breakage.NoOffset];
            breakage = r.Pick(choices);
        }

        Guid? id = Catalog.SendsReportId(addon) ? r.NextGuid() : null;
        return new PlannedReport(p.Index, kind, at, month, id, Catalog.IsFormat1(addon) ? 1 : 2, breakage);
    }

    private PlannedReport Notice(InstanceProfile p, ReportKind kind, DateTimeOffset at, Random r)
    {
        Guid? id = Catalog.SendsReportId(p.AddonVersionByMonth[MonthOf(at)]) ? r.NextGuid() : null;
        return new PlannedReport(p.Index, kind, at, -1, id, 2, Breakage.None);
    }
}
