using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Stats;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats features</c>: feature adoption.</summary>
public sealed class FeaturesCommand(CliContext cli) : Command<StatsSettings>
{
    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = TelemetryDatabase.Open(settings.Database, create: false, settings.KeyFile);
        var asOf = StatsDates.Resolve(settings, cli);
        var rows = new StatisticsQueries(connection).Features(asOf);
        switch (settings.OutputFormat)
        {
            case OutputFormat.Json:
                Output.WriteJson(cli, rows);
                break;
            case OutputFormat.Csv:
                Output.WriteCsv(cli, ["feature", "instances", "share"], rows.Select(r => (IReadOnlyList<object?>)[r.Feature, r.Instances, r.Share]));
                break;
            default:
                var table = new Table().AddColumn("Feature").AddColumn(new TableColumn("Instances").RightAligned()).AddColumn(new TableColumn("Share").RightAligned())
                    .Title($"Feature adoption as of {asOf.Date:yyyy-MM-dd}");
                foreach (var r in rows)
                {
                    table.AddRow(Markup.Escape(r.Feature), Output.Number(r.Instances), Output.Percent(r.Share));
                }

                Output.WriteTable(cli, table);
                break;
        }

        return TelemetryApp.ExitOk;
    }
}
