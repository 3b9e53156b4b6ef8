using System.Text.Json;

using Telemetry.Core.Reports;
using Telemetry.Core.Samples;

namespace Telemetry.Tests.Samples;

/// <summary>The ground truth streamed without mail.</summary>
public sealed class PopulationTests
{
    /// <summary>Opt-outs, opt-ins, uninstalls and both formats, small enough to ingest as mail.</summary>
    private static readonly CorpusOptions Options = new()
    {
        Instances = 120,
        Months = 14,
        Seed = 2027,
        OptOutRate = 0.25,
        UninstallRate = 0.2,
    };

    [Test]
    public void Population_IsTheGroundTruthOfGenerate()
    {
        var corpus = new CorpusGenerator(Options).Generate();
        var population = new CorpusGenerator(Options).Population();
        var streamed = population.ToList();

        var reports = streamed.Where(r => !r.Kind.IsNotice()).ToList();
        var events = streamed.Where(r => r.Kind.IsNotice()).Select(GeneratedOptEvent.Of).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(Json), Is.EqualTo(corpus.AcceptedReports.Select(Json)));
            Assert.That(events, Is.EqualTo(corpus.OptEvents));
            Assert.That(population.ReportCount, Is.EqualTo(corpus.AcceptedReports.Count));
            Assert.That(population.OptEventCount, Is.EqualTo(corpus.OptEvents.Count));
            Assert.That(events.Count(e => e.Kind == ReportKind.OptOut), Is.GreaterThan(5));
            Assert.That(events.Count(e => e.Kind == ReportKind.OptIn), Is.GreaterThan(2));
        });
    }

    [Test]
    public void Population_IsInOrderOfGeneration_AndTheSameWhenEnumeratedAgain()
    {
        var population = new CorpusGenerator(Options).Population();
        var instants = population.Select(r => r.GeneratedAt.UtcTicks).ToList();

        Assert.That(instants, Is.Ordered);
        Assert.That(population.Select(Json), Is.EqualTo(population.Select(Json)));
    }

    private static string Json(Report report) => JsonSerializer.Serialize(report);
}
