using System.Collections;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// The ground truth of a corpus without its mail: the install and monthly reports that end up stored, and the opt-out
/// and opt-in notices, as <see cref="Report"/>s merged in order of generation (a notice first when both share an
/// instant). Each report is built when it is reached, so a population of millions of reports is never held; only the
/// plan is. Enumerating again gives the same reports.
/// </summary>
public sealed class GeneratedPopulation : IEnumerable<Report>
{
    private readonly CorpusPlan plan;
    private readonly int[] accepted;
    private readonly int[] notices;

    internal GeneratedPopulation(CorpusPlan plan)
    {
        this.plan = plan;
        var serverIds = plan.Profiles.Select(p => ServerId.Parse(p.ServerId).Value).ToArray();
        accepted = DeliverySimulation.AcceptedReportIndices(plan)
            .OrderBy(i => plan.Reports[i].GeneratedAt.UtcTicks)
            .ThenBy(i => serverIds[plan.Reports[i].Instance], StringComparer.Ordinal)
            .ToArray();
        notices = Enumerable.Range(0, plan.Reports.Count)
            .Where(i => plan.Reports[i].Kind.IsNotice())
            .OrderBy(i => plan.Reports[i].GeneratedAt.UtcTicks)
            .ToArray();
    }

    /// <summary>The options the population was generated from.</summary>
    public CorpusOptions Options => plan.Options;

    /// <summary>How many install and monthly reports it holds.</summary>
    public int ReportCount => accepted.Length;

    /// <summary>How many opt-out and opt-in notices it holds.</summary>
    public int OptEventCount => notices.Length;

    /// <summary>The install and monthly reports that must end up stored, ordered by generation instant, then Server ID.</summary>
    public IEnumerable<Report> AcceptedReports() => accepted.Select(i => ReportFactory.Build(plan, i));

    /// <summary>Every opt-out and opt-in notice generated, in order of generation, as the parsers read them.</summary>
    public IEnumerable<Report> Notices() => notices.Select(i => ReportFactory.Build(plan, i));

    /// <summary>Reports and notices merged in order of generation.</summary>
    public IEnumerator<Report> GetEnumerator()
    {
        var r = 0;
        var n = 0;
        while (r < accepted.Length || n < notices.Length)
        {
            var takeNotice = r == accepted.Length
                || (n < notices.Length && plan.Reports[notices[n]].GeneratedAt.UtcTicks <= plan.Reports[accepted[r]].GeneratedAt.UtcTicks);
            yield return ReportFactory.Build(plan, takeNotice ? notices[n++] : accepted[r++]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
