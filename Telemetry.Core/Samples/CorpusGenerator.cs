using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// Generates a realistic reporting mailbox: instances that install the add-on, report monthly, upgrade, opt out and
/// back in, go silent; mail that is late, duplicated, re-sent, forwarded, broken; and the noise around it.
/// The same options (seed included) always give the same bytes.
/// </summary>
/// <remarks>
/// Two simplifications keep every report's fate independent of arrival order: opt-in notices are never late (so no
/// report generated after an opt-in can arrive before it), and no notice is generated within a day of a monthly report.
/// Reports generated while opted out do occur (a node that missed the setting) and must be dropped.
/// </remarks>
public sealed class CorpusGenerator
{
    private readonly CorpusOptions _options;

    public CorpusGenerator(CorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The whole corpus in memory, with its ground truth.</summary>
    public GeneratedCorpus Generate()
    {
        var plan = CorpusPlan.Build(_options);
        var messages = Render(plan).ToList();
        var truth = new GeneratedPopulation(plan);
        return new GeneratedCorpus(messages, truth.AcceptedReports().ToList(), truth.Notices().Select(GeneratedOptEvent.Of).ToList());
    }

    /// <summary>
    /// The ground truth of <see cref="Generate"/> without rendering any mail: its <see cref="GeneratedCorpus.AcceptedReports"/>
    /// and the notices behind its <see cref="GeneratedCorpus.OptEvents"/>, streamed in order of generation. This is
    /// how a database of millions of reports is filled (see <see cref="PopulationLoader"/>).
    /// </summary>
    public GeneratedPopulation Population() => new(CorpusPlan.Build(_options, withMessages: false));

    /// <summary>
    /// The same messages as <see cref="Generate"/>, in the same order, rendered one at a time for corpora too large to
    /// hold. Only the plan (a few dozen bytes per message) is kept; the ground truth is not computed: each message's
    /// <see cref="GeneratedMessage.Expected"/> outcomes are still there.
    /// </summary>
    public IEnumerable<GeneratedMessage> Stream() => Render(CorpusPlan.Build(_options));

    private static IEnumerable<GeneratedMessage> Render(CorpusPlan plan)
    {
        var renderer = new MessageRenderer(plan, DeliverySimulation.Outcomes(plan));
        for (var i = 0; i < plan.Messages.Count; i++)
        {
            yield return renderer.Render(i);
        }
    }
}
