using System.ComponentModel;

using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Stats;
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

        [CommandOption("--cumulative")]
        [Description("Add the instances running each version or a later one, and their share: to choose a minimum supported version.")]
        public bool Cumulative { get; init; }

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
        var distribution = settings.Publisher(connection).Versions(asOf, settings.VersionOf);
        var what = settings.VersionOf == VersionOf.Addon ? "Play SQL" : "Confluence";
        List<Column<VersionRow>> columns =
        [
            new("version", $"{what} version", r => r.Version),
            Column.Figure<VersionRow>("instances", "Instances", r => r.Instances),
            Column.Share<VersionRow>("share", "Share", r => r.Share),
        ];
        if (settings.Cumulative)
        {
            columns.Add(Column.Figure<VersionRow>("atLeast", "This version or later", r => r.AtLeast));
            columns.Add(Column.Share<VersionRow>("atLeastShare", "Share at least", r => r.AtLeastShare));
        }

        var caption = $"{distribution.Total.Text} active instances." + (settings.ShareableCaption is { } c ? " " + c : string.Empty);
        Listing.Write(cli, settings.OutputFormat, distribution.Rows, columns, $"{what} versions of active instances as of {asOf.Date:yyyy-MM-dd}", "No active instance.", caption);
        if (settings.Charts(cli))
        {
            Charts.Shares(cli, "Share of active instances per version", distribution.Rows.Select(r => (r.Version, r.Share)));
            if (settings.Cumulative)
            {
                Charts.Shares(cli, "Share running this version or later", distribution.Rows.Where(r => r.AtLeast is not null).Select(r => (r.Version, r.AtLeastShare)), Color.MediumPurple);
            }
        }

        return TelemetryApp.ExitOk;
    }
}
