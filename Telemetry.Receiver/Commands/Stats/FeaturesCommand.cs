using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats features</c>: feature adoption, at a date or month by month.</summary>
public sealed class FeaturesCommand(CliContext cli) : Command<FeaturesCommand.Settings>
{
    private static readonly Column<PublishedFeature>[] Columns =
    [
        new("feature", "Feature", r => r.Feature),
        Column.Figure<PublishedFeature>("instances", "Instances", r => r.Instances),
        Column.Share<PublishedFeature>("share", "Share", r => r.Share),
    ];

    private static readonly Column<FeatureTrendPoint>[] TrendColumns =
    [
        new("month", "Month", r => Charts.Month(r.Month)),
        new("feature", "Feature", r => r.Feature),
        Column.Figure<FeatureTrendPoint>("instances", "Instances", r => r.Instances),
        Column.Share<FeatureTrendPoint>("share", "Share", r => r.Share),
        Column.Figure<FeatureTrendPoint>("base", "Base", r => r.Base),
    ];

    public sealed class Settings : MonthRangeSettings
    {
        [CommandOption("--trend")]
        [Description("Adoption month by month (with --from and --to) instead of at one date.")]
        public bool Trend { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var publisher = settings.Publisher(connection);
        if (settings.Trend)
        {
            var (from, to) = settings.Range(asOf);
            WriteTrend(settings, publisher.FeatureTrend(from, to, asOf), from, to);
            return TelemetryApp.ExitOk;
        }

        var features = publisher.Features(asOf);
        var caption = $"Base: {features.Total.Text} active instances whose latest report is monthly." + (settings.ShareableCaption is { } c ? " " + c : string.Empty);
        Listing.Write(cli, settings.OutputFormat, features.Rows, Columns, $"Feature adoption as of {asOf.Date:yyyy-MM-dd}", "No active instance with a monthly report.", caption);
        if (settings.Charts(cli))
        {
            Charts.Shares(cli, "Adoption (% of the base)", features.Rows.Select(r => (r.Feature, r.Share)));
        }

        return TelemetryApp.ExitOk;
    }

    /// <summary>Scripts get one row per month and feature; people get one row per feature, one column per month.</summary>
    private void WriteTrend(Settings settings, IReadOnlyList<FeatureTrendPoint> points, DateOnly from, DateOnly to)
    {
        var title = $"Feature adoption by month, {Charts.Month(from)} to {Charts.Month(to)}";
        if (settings.OutputFormat != OutputFormat.Table)
        {
            Listing.Write(cli, settings.OutputFormat, points, TrendColumns, title);
            return;
        }

        var months = points.Select(p => p.Month).Distinct().Order().ToList();
        var table = new Table().Title(Markup.Escape(title)).AddColumn("Feature");
        foreach (var m in months)
        {
            table.AddColumn(new TableColumn(Charts.Month(m)).RightAligned());
        }

        if (settings.Charts(cli))
        {
            table.AddColumn("Trend");
        }

        var byFeature = points.GroupBy(p => p.Feature).OrderByDescending(g => g.Max(p => p.Instances.Value)).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var feature in byFeature)
        {
            var cells = months.Select(m => feature.FirstOrDefault(p => p.Month == m)).ToList();
            var row = new List<string> { Markup.Escape(feature.Key) };
            row.AddRange(cells.Select(p => p is null ? "-" : p.Share is { } s ? Output.Percent(s) : Markup.Escape(p.Instances.Text)));
            if (settings.Charts(cli))
            {
                row.Add(Charts.Sparkline(cells.Select(p => p?.Share)));
            }

            table.AddRow([.. row]);
        }

        var bases = months.Select(m => points.First(p => p.Month == m).Base).ToList();
        table.AddRow([Markup.Escape("(base: instances)"), .. bases.Select(b => Markup.Escape(b.Text)), .. settings.Charts(cli) ? new[] { string.Empty } : []]);
        if (settings.ShareableCaption is { } caption)
        {
            table.Caption(Markup.Escape(caption));
        }

        Output.WriteTable(cli, table);
    }
}
