using System.ComponentModel;

using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Stats;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats versions</c>: version distribution of active instances.</summary>
public sealed class VersionsCommand(CliContext cli) : Command<VersionsCommand.Settings>
{
    public sealed class Settings : StatsSettings
    {
        [CommandOption("--of <WHAT>")]
        [Description("addon (Play SQL version) or confluence. Default: addon")]
        [DefaultValue("addon")]
        public string Of { get; init; } = "addon";

        public VersionOf VersionOf => Of.Equals("confluence", StringComparison.OrdinalIgnoreCase) ? VersionOf.Confluence : VersionOf.Addon;

        public override ValidationResult Validate() =>
            Of.ToLowerInvariant() is "addon" or "confluence"
                ? base.Validate()
                : ValidationResult.Error($"--of must be addon or confluence (got '{Of}').");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = TelemetryDatabase.Open(settings.Database, create: false, settings.KeyFile);
        var asOf = StatsDates.Resolve(settings, cli);
        var rows = new StatisticsQueries(connection).Versions(asOf, settings.VersionOf);
        switch (settings.OutputFormat)
        {
            case OutputFormat.Json:
                Output.WriteJson(cli, rows);
                break;
            case OutputFormat.Csv:
                Output.WriteCsv(cli, ["version", "instances", "share"], rows.Select(r => (IReadOnlyList<object?>)[r.Version, r.Instances, r.Share]));
                break;
            default:
                var what = settings.VersionOf == VersionOf.Addon ? "Play SQL" : "Confluence";
                var table = new Table().AddColumn($"{what} version").AddColumn(new TableColumn("Instances").RightAligned()).AddColumn(new TableColumn("Share").RightAligned())
                    .Title($"{what} versions of active instances as of {asOf.Date:yyyy-MM-dd}");
                foreach (var r in rows)
                {
                    table.AddRow(Markup.Escape(r.Version), Output.Number(r.Instances), Output.Percent(r.Share));
                }

                Output.WriteTable(cli, table);
                break;
        }

        return TelemetryApp.ExitOk;
    }
}
