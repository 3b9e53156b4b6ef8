using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats connections</c>: per database type, the instances using it and their connections.</summary>
public sealed class ConnectionsCommand(CliContext cli) : Command<StatsSettings>
{
    private static readonly Column<ConnectionRow>[] Columns =
    [
        new("type", "Database type", r => r.Type),
        Column.Figure<ConnectionRow>("instances", "Instances using it", r => r.Instances),
        Column.Share<ConnectionRow>("share", "Share of active", r => r.Share),
        Column.Figure<ConnectionRow>("connections", "Connections", r => r.Connections),
    ];

    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var d = settings.Publisher(connection).Connections(asOf);
        var caption = $"{d.Total.Text} active instances; one may use several types." + (settings.ShareableCaption is { } c ? " " + c : string.Empty);
        Listing.Write(cli, settings.OutputFormat, d.Rows, Columns, $"Database connections of active instances as of {asOf.Date:yyyy-MM-dd}", "No active instance with a connection.", caption);
        if (settings.Charts(cli))
        {
            Charts.Shares(cli, "Share of active instances using each database type", d.Rows.Select(r => (r.Type, r.Share)));
        }

        return TelemetryApp.ExitOk;
    }
}
