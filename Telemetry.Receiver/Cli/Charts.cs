using System.Globalization;

using Spectre.Console;

using Telemetry.Core.Stats;

namespace Telemetry.Receiver.Cli;

/// <summary>Bar charts drawn below a table on a terminal. Hidden figures get no bar; a note says how many.</summary>
public static class Charts
{
    private const int Width = 72;

    /// <summary>
    /// One bar per item; values are plain numbers, labels are escaped. Values are written in the label, not after
    /// the bar, so that bars stay proportional (a value written after a bar takes its room from the bar).
    /// </summary>
    public static void Bars(CliContext cli, string title, IEnumerable<(string Label, Figure Value)> items, Color? color = null)
    {
        var list = items.ToList();
        var chart = new BarChart().Width(Width).Label($"[bold]{Markup.Escape(title)}[/]").CenterLabel().HideValues();
        var hidden = 0;
        foreach (var (label, value) in list)
        {
            if (value.IsShown)
            {
                chart.AddItem(Markup.Escape($"{label} {value.Text,10}"), value.Value, color ?? Color.SteelBlue);
            }
            else
            {
                hidden++;
            }
        }

        Write(cli, chart, list.Count - hidden, hidden);
    }

    /// <summary>One bar per item for shares, drawn as percentages (0 to 100).</summary>
    public static void Shares(CliContext cli, string title, IEnumerable<(string Label, double? Share)> items, Color? color = null)
    {
        var list = items.ToList();
        var chart = new BarChart().Width(Width).Label($"[bold]{Markup.Escape(title)}[/]").CenterLabel().WithMaxValue(100).HideValues();
        var hidden = 0;
        foreach (var (label, share) in list)
        {
            if (share is { } s)
            {
                chart.AddItem(Markup.Escape($"{label} {Output.Percent(s),8}"), Math.Round(s * 100, 1), color ?? Color.SeaGreen3);
            }
            else
            {
                hidden++;
            }
        }

        Write(cli, chart, list.Count - hidden, hidden);
    }

    /// <summary>A sparkline of a series (hidden values as a space), for a trend in one table cell.</summary>
    public static string Sparkline(IEnumerable<double?> values)
    {
        const string Blocks = "▁▂▃▄▅▆▇█";
        var list = values.ToList();
        var shown = list.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (shown.Count == 0)
        {
            return string.Empty;
        }

        var (low, high) = (shown.Min(), shown.Max());
        return string.Concat(list.Select(v => v is not { } x ? ' '
            : high == low ? Blocks[3]
            : Blocks[(int)Math.Round((x - low) / (high - low) * (Blocks.Length - 1))]));
    }

    /// <summary>A month as people read it in a chart: "2026-10".</summary>
    public static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static void Write(CliContext cli, BarChart chart, int drawn, int hidden)
    {
        if (drawn == 0)
        {
            return;
        }

        var console = cli.OutConsole();
        console.WriteLine();
        console.Write(chart);
        if (hidden > 0)
        {
            console.MarkupLine(Markup.Escape($"({hidden} hidden value(s) not drawn.)"));
        }
    }
}
