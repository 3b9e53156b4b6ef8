using System.Globalization;
using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats summary</c>: the headline figures.</summary>
public sealed class SummaryCommand(CliContext cli) : Command<StatsSettings>
{
    private static readonly Column<PublishedSummary>[] Columns =
    [
        new("asOf", "As of", s => s.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new("activeWindowDays", "Active window (days)", s => s.ActiveWindowDays, RightAligned: true),
        Column.Figure<PublishedSummary>("activeInstances", "Active instances", s => s.ActiveInstances),
        Column.Figure<PublishedSummary>("silentInstances", "Silent instances", s => s.SilentInstances),
        Column.Figure<PublishedSummary>("optedOutInstances", "Opted-out instances", s => s.OptedOutInstances),
        Column.Figure<PublishedSummary>("users", "Users (Confluence)", s => s.Users),
        Column.Figure<PublishedSummary>("activeUsers", "Play SQL active users", s => s.ActiveUsers),
    ];

    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var s = settings.Publisher(connection).Summary(settings.Resolve(cli));
        Listing.WriteRecord(cli, settings.OutputFormat, s, Columns, $"Summary as of {s.AsOf:yyyy-MM-dd}", settings.ShareableCaption);
        if (settings.Charts(cli))
        {
            Charts.Bars(cli, "Instances", [("active", s.ActiveInstances), ("silent", s.SilentInstances), ("opted out", s.OptedOutInstances)]);
        }

        return TelemetryApp.ExitOk;
    }
}
