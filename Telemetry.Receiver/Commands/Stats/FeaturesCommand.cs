using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats features</c>: feature adoption.</summary>
public sealed class FeaturesCommand(CliContext cli) : Command<StatsSettings>
{
    private static readonly Column<FeatureAdoption>[] Columns =
    [
        new("feature", "Feature", r => r.Feature),
        Column.Count<FeatureAdoption>("instances", "Instances", r => r.Instances),
        Column.Share<FeatureAdoption>("share", "Share", r => r.Share),
    ];

    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var rows = new StatisticsQueries(connection).Features(asOf);
        Listing.Write(cli, settings.OutputFormat, rows, Columns, $"Feature adoption as of {asOf.Date:yyyy-MM-dd}", "No active instance with a monthly report.");
        return TelemetryApp.ExitOk;
    }
}
