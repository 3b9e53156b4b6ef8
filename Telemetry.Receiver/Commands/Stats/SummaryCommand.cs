using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Stats;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats summary</c>: the headline figures.</summary>
public sealed class SummaryCommand(CliContext cli) : Command<StatsSettings>
{
    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = TelemetryDatabase.Open(settings.Database, create: false, settings.KeyFile);
        var asOf = StatsDates.Resolve(settings, cli);
        var s = new StatisticsQueries(connection).Summary(asOf);
        switch (settings.OutputFormat)
        {
            case OutputFormat.Json:
                Output.WriteJson(cli, s);
                break;
            case OutputFormat.Csv:
                Output.WriteCsv(
                    cli,
                    ["asOf", "activeWindowDays", "activeInstances", "silentInstances", "optedOutInstances", "users", "activeUsers"],
                    [[s.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), s.ActiveWindowDays, s.ActiveInstances,
                      s.SilentInstances, s.OptedOutInstances, s.Users, s.ActiveUsers]]);
                break;
            default:
                var table = new Table().AddColumn("Figure").AddColumn(new TableColumn("Value").RightAligned())
                    .Title($"As of {s.AsOf:yyyy-MM-dd}")
                    .Caption($"active window: {s.ActiveWindowDays} days");
                table.AddRow("Active instances", Output.Number(s.ActiveInstances));
                table.AddRow("Silent instances", Output.Number(s.SilentInstances));
                table.AddRow("Opted-out instances", Output.Number(s.OptedOutInstances));
                table.AddRow("Users (Confluence)", Output.Number(s.Users));
                table.AddRow("Play SQL active users", Output.Number(s.ActiveUsers));
                Output.WriteTable(cli, table);
                break;
        }

        return TelemetryApp.ExitOk;
    }
}
