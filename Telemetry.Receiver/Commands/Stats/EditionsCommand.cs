using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats editions</c>: server and data center instances, and data center cluster sizes.</summary>
public sealed class EditionsCommand(CliContext cli) : Command<StatsSettings>
{
    private static readonly Column<EditionRow>[] Columns =
    [
        new("edition", "Edition", r => r.Edition),
        new("clusterNodes", "Cluster nodes", r => r.ClusterNodes, r => r.ClusterNodes switch { null => string.Empty, 0 => "not given", var n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) }, RightAligned: true),
        Column.Figure<EditionRow>("instances", "Instances", r => r.Instances),
        Column.Share<EditionRow>("share", "Share", r => r.Share),
    ];

    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var d = settings.Publisher(connection).Editions(asOf);
        var caption = $"{d.Total.Text} active instances; rows with a cluster size break down the data center row above them." + (settings.ShareableCaption is { } c ? " " + c : string.Empty);
        Listing.Write(cli, settings.OutputFormat, d.Rows, Columns, $"Editions of active instances as of {asOf.Date:yyyy-MM-dd}", "No active instance.", caption);
        if (settings.Charts(cli))
        {
            Charts.Shares(cli, "Share of active instances per edition", d.Rows.Where(r => r.ClusterNodes is null).Select(r => (r.Edition, r.Share)));
            Charts.Shares(
                cli,
                "Data center cluster sizes (share of all active instances)",
                d.Rows.Where(r => r.ClusterNodes is not null).Select(r => (r.ClusterNodes == 0 ? "not given" : $"{r.ClusterNodes} node(s)", r.Share)));
        }

        return TelemetryApp.ExitOk;
    }
}
