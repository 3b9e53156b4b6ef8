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
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var rows = new StatisticsQueries(connection).Versions(asOf, settings.VersionOf);
        var what = settings.VersionOf == VersionOf.Addon ? "Play SQL" : "Confluence";
        Column<VersionShare>[] columns =
        [
            new("version", $"{what} version", r => r.Version),
            Column.Count<VersionShare>("instances", "Instances", r => r.Instances),
            Column.Share<VersionShare>("share", "Share", r => r.Share),
        ];
        Listing.Write(cli, settings.OutputFormat, rows, columns, $"{what} versions of active instances as of {asOf.Date:yyyy-MM-dd}", "No active instance.");
        return TelemetryApp.ExitOk;
    }
}
