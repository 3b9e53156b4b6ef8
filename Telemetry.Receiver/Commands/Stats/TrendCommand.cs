using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats trend</c>: one row per month, as it stood at the month's end.</summary>
public sealed class TrendCommand(CliContext cli) : Command<MonthRangeSettings>
{
    private static readonly Column<TrendPoint>[] Columns =
    [
        new("month", "Month", r => Charts.Month(r.Month)),
        Column.Figure<TrendPoint>("activeInstances", "Active instances", r => r.ActiveInstances),
        Column.Figure<TrendPoint>("users", "Users (Confluence)", r => r.Users),
        Column.Figure<TrendPoint>("activeUsers", "Play SQL active users", r => r.ActiveUsers),
        Column.Figure<TrendPoint>("newInstallations", "New installations", r => r.NewInstallations),
        Column.Figure<TrendPoint>("wentSilent", "Went silent", r => r.WentSilent),
        Column.Figure<TrendPoint>("optedOut", "Opted out", r => r.OptedOut),
    ];

    public override int Execute(CommandContext context, MonthRangeSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var (from, to) = settings.Range(asOf);
        var rows = settings.Publisher(connection).Trend(from, to, asOf);
        Listing.Write(
            cli,
            settings.OutputFormat,
            rows,
            Columns,
            $"Month by month, {Charts.Month(from)} to {Charts.Month(to)} (each month at its end; the as-of month at {asOf.Date:yyyy-MM-dd})",
            "No month in the range.",
            settings.ShareableCaption);
        if (settings.Charts(cli) && rows.Count > 0)
        {
            Charts.Bars(cli, "Active instances at each month's end", rows.Select(r => (Charts.Month(r.Month), r.ActiveInstances)));
            Charts.Bars(cli, "Confluence users of active instances", rows.Select(r => (Charts.Month(r.Month), r.Users)), Color.DarkOrange);
        }

        return TelemetryApp.ExitOk;
    }
}
