using System.Text;

using Telemetry.Core.Stats;

namespace Telemetry.Core.Reporting;

/// <summary>
/// The inline SVG charts: each has role="img", a title and a description, labelled axes with tick labels, value
/// labels, and data-chart="NAME". A hidden figure gets no bar or point, only its symbol ("&lt;5" or "x") as label.
/// Sizes are in viewBox units; the page scales the charts to its width.
/// </summary>
public static partial class HtmlReport
{
    private const string BarColor = "#3a6ea5";
    private const string SubBarColor = "#86abd3";
    private const string LineColor = "#c2571a";
    private const string AxisColor = "#6b7480";
    private const string GridColor = "#e4e8ed";
    private const string TextColor = "#1f2933";
    private const string MutedColor = "#5f6b7a";
    private const string Halo = " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

    /// <summary>Rough width of a character of the 12-unit font, to make room for labels.</summary>
    private const double CharWidth = 6.8;

    /// <summary>The longest category label a chart shows (the table shows the whole text).</summary>
    private const int MaxLabelLength = 30;

    /// <summary>The longest version label under a bar.</summary>
    private const int MaxVersionLabelLength = 16;

    private sealed record Bar(string Label, Figure Count, double? Share, bool Sub = false);

    private static void HorizontalBars(StringBuilder h, string name, string title, string desc, string axisTitle, IReadOnlyList<Bar> bars, bool percent)
    {
        const double Width = 640, Row = 26, BarHeight = 16, Top = 8, ValueSpace = 112;
        var labels = bars.Select(b => Clean(b.Label, MaxLabelLength)).ToList();
        var x0 = Math.Clamp((labels.Max(l => l.Length) * CharWidth) + 16, 64, 240);
        var plot = Width - ValueSpace - x0;
        var axisY = Top + (bars.Count * Row) + 2;
        var height = axisY + 46;
        double[] ticks = percent ? [0, 0.25, 0.5, 0.75, 1] : Ticks(bars.Where(b => b.Count.IsShown).Select(b => (double)b.Count.Value).DefaultIfEmpty(0).Max());
        var max = ticks[^1];

        SvgStart(h, name, Width, height, title, desc);
        foreach (var t in ticks)
        {
            var x = x0 + (plot * t / max);
            Line(h, x, Top, x, axisY, GridColor);
            Line(h, x, axisY, x, axisY + 4, AxisColor);
            Text(h, x, axisY + 17, percent ? AxisPercent(t) : Count(t), "middle", MutedColor, size: 11);
        }

        Line(h, x0, Top, x0, axisY, AxisColor);
        Line(h, x0, axisY, x0 + plot, axisY, AxisColor);
        Text(h, x0 + (plot / 2), axisY + 38, axisTitle, "middle", TextColor, weight: "600");

        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = Top + (i * Row) + (Row / 2);
            Text(h, x0 - 8, y + 4, labels[i], "end", b.Sub ? MutedColor : TextColor);
            double? value = percent ? b.Share : (b.Count.IsShown ? b.Count.Value : null);
            if (value is not { } v || !b.Count.IsShown)
            {
                Text(h, x0 + 6, y + 4, b.Count.IsShown ? "–" : b.Count.Text, "start", MutedColor, weight: "600");
                continue;
            }

            var w = plot * v / max;
            var label = percent ? $"{Percent(b.Share)} ({b.Count.Text})" : b.Share is null ? b.Count.Text : $"{b.Count.Text} ({Percent(b.Share)})";
            if (w > 0)
            {
                h.Append(Invariant, $"<rect x=\"{N(x0)}\" y=\"{N(y - (BarHeight / 2))}\" width=\"{N(Math.Max(w, 1))}\" height=\"{N(BarHeight)}\" fill=\"{(b.Sub ? SubBarColor : BarColor)}\"><title>{H(b.Label)}: {H(label)}</title></rect>\n");
            }

            Text(h, x0 + w + 6, y + 4, label, "start", TextColor, size: 11);
        }

        h.Append("</svg>\n");
    }

    private static void LineChart(StringBuilder h, string name, string title, string desc, string axisTitle, List<DateOnly> months, List<Figure> values, double width)
    {
        const double Height = 270, Right = 24, Top = 26, Bottom = 62;
        var n = values.Count;
        var ticks = Ticks(values.Where(v => v.IsShown).Select(v => (double)v.Value).DefaultIfEmpty(0).Max());
        var max = ticks[^1];
        var left = 34 + (Count(max).Length * CharWidth * 0.92);
        var plotW = width - left - Right;
        var plotH = Height - Top - Bottom;
        var baseY = Top + plotH;
        var slot = plotW / n;
        double X(int i) => left + (slot * (i + 0.5));
        double Y(long v) => baseY - (plotH * v / max);

        SvgStart(h, name, width, Height, title, desc);
        foreach (var t in ticks)
        {
            var y = baseY - (plotH * t / max);
            Line(h, left, y, left + plotW, y, GridColor);
            Text(h, left - 8, y + 4, Count(t), "end", MutedColor, size: 11);
        }

        Line(h, left, Top, left, baseY, AxisColor);
        Line(h, left, baseY, left + plotW, baseY, AxisColor);
        h.Append(Invariant, $"<text transform=\"rotate(-90)\" x=\"{N(-(Top + (plotH / 2)))}\" y=\"16\" text-anchor=\"middle\" fill=\"{TextColor}\" font-weight=\"600\">{H(axisTitle)}</text>\n");

        // Month ticks: every month when there is room, else every second or third one, always the latest.
        var every = slot >= 30 ? 1 : slot >= 15 ? 2 : 3;
        int? labelledYear = null;
        for (var i = 0; i < n; i++)
        {
            Line(h, X(i), baseY, X(i), baseY + 4, AxisColor);
            if ((n - 1 - i) % every != 0)
            {
                continue;
            }

            Text(h, X(i), baseY + 17, months[i].ToString("MMM", Invariant), "middle", MutedColor, size: 11);
            if (labelledYear != months[i].Year)
            {
                Text(h, X(i), baseY + 30, months[i].Year.ToString(Invariant), "middle", MutedColor, size: 11);
                labelledYear = months[i].Year;
            }
        }

        Text(h, left + (plotW / 2), baseY + 52, "Month", "middle", TextColor, weight: "600");

        // The line, broken where a figure is hidden.
        var run = new List<int>();
        for (var i = 0; i <= n; i++)
        {
            if (i < n && values[i].IsShown)
            {
                run.Add(i);
                continue;
            }

            if (run.Count >= 2)
            {
                var points = string.Join(' ', run.Select(j => $"{N(X(j))},{N(Y(values[j].Value))}"));
                h.Append(Invariant, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{BarColor}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\" />\n");
            }

            run.Clear();
        }

        var shown = Enumerable.Range(0, n).Where(i => values[i].IsShown).ToList();
        for (var i = 0; i < n; i++)
        {
            var tip = $"{Month(months[i])}: {values[i].Text}";
            if (values[i].IsShown)
            {
                h.Append(Invariant, $"<circle cx=\"{N(X(i))}\" cy=\"{N(Y(values[i].Value))}\" r=\"3.5\" fill=\"#ffffff\" stroke=\"{BarColor}\" stroke-width=\"2\"><title>{H(tip)}</title></circle>\n");
            }
            else
            {
                Text(h, X(i), baseY - 6, values[i].Text, "middle", MutedColor, size: 11, weight: "600", tip: tip);
            }
        }

        // Values: the first, the highest and the latest shown point.
        if (shown.Count > 0)
        {
            var highest = shown.MaxBy(i => values[i].Value);
            foreach (var i in new[] { shown[0], highest, shown[^1] }.Distinct())
            {
                var anchor = X(i) < left + 30 ? "start" : X(i) > left + plotW - 30 ? "end" : "middle";
                var dx = anchor switch { "start" => -4, "end" => 4, _ => 0 };
                Text(h, X(i) + dx, Math.Max(Y(values[i].Value) - 9, 12), values[i].Text, anchor, TextColor, size: 12, weight: "700", halo: true);
            }
        }

        h.Append("</svg>\n");
    }

    private static void VersionChart(StringBuilder h, string name, string title, string desc, string versionName, IReadOnlyList<VersionRow> rows)
    {
        const double Right = 66, Top = 52, StripY = 40, PlotH = 210;
        var n = rows.Count;
        var plotW = Math.Max(508, n * 16);
        var slot = plotW / n;
        var labels = rows.Select(r => Clean(r.Version, MaxVersionLabelLength)).ToList();
        var rotate = labels.Any(l => (l.Length * CharWidth * 0.92) > slot - 4);
        var labelDepth = rotate ? (labels.Max(l => l.Length) * CharWidth * 0.92 * 0.72) + 16 : 20;
        var baseY = Top + PlotH;
        var height = baseY + labelDepth + 38;
        var barWidth = Math.Min(slot * 0.7, 44);
        var narrow = slot < 36;
        var counts = rows.Where(r => r.Instances.IsShown).Select(r => (double)r.Instances.Value).DefaultIfEmpty(0).Max();
        var ticks = Ticks(counts * (narrow ? 1.25 : 1.1));
        var max = ticks[^1];
        var left = Math.Max(62, 34 + (Count(max).Length * CharWidth * 0.92));
        var width = left + plotW + Right;
        double X(int i) => left + (slot * (i + 0.5));
        double Y(double v) => baseY - (PlotH * v / max);
        double YShare(double share) => baseY - (PlotH * share);

        SvgStart(h, name, width, height, title, desc);

        // Legend.
        h.Append(Invariant, $"<rect x=\"{N(left)}\" y=\"8\" width=\"14\" height=\"12\" fill=\"{BarColor}\" />\n");
        Text(h, left + 20, 18, $"Instances on this version (left axis)", "start", TextColor, size: 11);
        var legend2 = left + 250;
        Line(h, legend2, 14, legend2 + 22, 14, LineColor, 2.5);
        h.Append(Invariant, $"<circle cx=\"{N(legend2 + 11)}\" cy=\"14\" r=\"3.5\" fill=\"#ffffff\" stroke=\"{LineColor}\" stroke-width=\"2\" />\n");
        Text(h, legend2 + 28, 18, "Running at least this version (right axis)", "start", TextColor, size: 11);

        foreach (var t in ticks)
        {
            var y = Y(t);
            Line(h, left, y, left + plotW, y, GridColor);
            Text(h, left - 8, y + 4, Count(t), "end", MutedColor, size: 11);
        }

        foreach (var p in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            var y = YShare(p);
            Line(h, left + plotW, y, left + plotW + 4, y, AxisColor);
            Text(h, left + plotW + 8, y + 4, AxisPercent(p), "start", LineColor, size: 11);
        }

        Line(h, left, Top, left, baseY, AxisColor);
        Line(h, left + plotW, Top, left + plotW, baseY, AxisColor);
        Line(h, left, baseY, left + plotW, baseY, AxisColor);
        h.Append(Invariant, $"<text transform=\"rotate(-90)\" x=\"{N(-(Top + (PlotH / 2)))}\" y=\"16\" text-anchor=\"middle\" fill=\"{TextColor}\" font-weight=\"600\">Active instances</text>\n");
        h.Append(Invariant, $"<text transform=\"rotate(90)\" x=\"{N(Top + (PlotH / 2))}\" y=\"{N(-(width - 14))}\" text-anchor=\"middle\" fill=\"{LineColor}\" font-weight=\"600\">At least this version</text>\n");
        Text(h, left + (plotW / 2), height - 10, versionName, "middle", TextColor, weight: "600");

        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            var x = X(i);
            if (rotate)
            {
                h.Append(Invariant, $"<text transform=\"rotate(-45 {N(x)} {N(baseY + 12)})\" x=\"{N(x)}\" y=\"{N(baseY + 12)}\" text-anchor=\"end\" fill=\"{TextColor}\" font-size=\"11\">{H(labels[i])}</text>\n");
            }
            else
            {
                Text(h, x, baseY + 17, labels[i], "middle", TextColor, size: 11);
            }

            if (!r.Instances.IsShown)
            {
                Text(h, x, baseY - 6, r.Instances.Text, "middle", MutedColor, size: 11, weight: "600", tip: $"{r.Version}: {r.Instances.Text}");
                continue;
            }

            var top = Y(r.Instances.Value);
            if (r.Instances.Value > 0)
            {
                h.Append(Invariant, $"<rect x=\"{N(x - (barWidth / 2))}\" y=\"{N(top)}\" width=\"{N(barWidth)}\" height=\"{N(Math.Max(baseY - top, 1))}\" fill=\"{BarColor}\"><title>{H(r.Version)}: {r.Instances.Text} ({Percent(r.Share)})</title></rect>\n");
            }

            if (narrow)
            {
                h.Append(Invariant, $"<text transform=\"rotate(-90 {N(x + 4)} {N(top - 4)})\" x=\"{N(x + 4)}\" y=\"{N(top - 4)}\" text-anchor=\"start\" fill=\"{TextColor}\" font-size=\"10\"{Halo}>{r.Instances.Text}</text>\n");
            }
            else
            {
                Text(h, x, top - 5, r.Instances.Text, "middle", TextColor, size: 11, halo: true);
            }
        }

        // The cumulative line: "unknown" versions count in no "at least"; a hidden figure breaks the line.
        var points = Enumerable.Range(0, n).Where(i => !IsUnknown(rows[i].Version)).ToList();
        var run = new List<int>();
        foreach (var i in points.Append(-1))
        {
            if (i >= 0 && rows[i].AtLeastShare is not null)
            {
                run.Add(i);
                continue;
            }

            if (run.Count >= 2)
            {
                var line = string.Join(' ', run.Select(j => $"{N(X(j))},{N(YShare(rows[j].AtLeastShare!.Value))}"));
                h.Append(Invariant, $"<polyline points=\"{line}\" fill=\"none\" stroke=\"{LineColor}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" />\n");
            }

            run.Clear();
        }

        // Its values, in a row above the plot where no bar can hide them: one decimal when there is room, else none.
        Text(h, left - 8, StripY, "At least:", "end", LineColor, size: 10, weight: "600");
        foreach (var i in points)
        {
            var r = rows[i];
            var tip = $"{r.Version} or later: {r.AtLeast?.Text ?? "–"} ({Percent(r.AtLeastShare)})";
            if (r.AtLeastShare is { } share)
            {
                h.Append(Invariant, $"<circle cx=\"{N(X(i))}\" cy=\"{N(YShare(share))}\" r=\"3.5\" fill=\"#ffffff\" stroke=\"{LineColor}\" stroke-width=\"2\"><title>{H(tip)}</title></circle>\n");
            }

            if (slot >= 22)
            {
                var value = r.AtLeastShare is { } s ? (slot >= 48 ? Percent(s) : AxisPercent(s)) : r.AtLeast?.Text ?? "–";
                Text(h, X(i), StripY, value, "middle", LineColor, size: slot >= 30 ? 11 : 9, weight: "600", tip: tip);
            }
        }

        h.Append("</svg>\n");
    }

    private static void SvgStart(StringBuilder h, string name, double width, double height, string title, string desc)
    {
        h.Append(Invariant, $"<svg xmlns=\"http://www.w3.org/2000/svg\" data-chart=\"{name}\" role=\"img\" aria-labelledby=\"{name}-title {name}-desc\" viewBox=\"0 0 {N(width)} {N(height)}\" width=\"{N(width)}\" height=\"{N(height)}\" font-size=\"12\">\n");
        h.Append(Invariant, $"<title id=\"{name}-title\">{H(title)}</title>\n<desc id=\"{name}-desc\">{H(desc, 1000)}</desc>\n");
    }

    private static void Line(StringBuilder h, double x1, double y1, double x2, double y2, string color, double width = 1) =>
        h.Append(Invariant, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{color}\" stroke-width=\"{N(width)}\" />\n");

    /// <param name="halo">Whether a white outline keeps the text readable over bars and lines.</param>
    private static void Text(StringBuilder h, double x, double y, string text, string anchor, string color, double size = 12, string? weight = null, string? tip = null, bool halo = false)
    {
        var sizeAttribute = size == 12 ? string.Empty : $" font-size=\"{N(size)}\"";
        var weightAttribute = weight is null ? string.Empty : $" font-weight=\"{weight}\"";
        var tipElement = tip is null ? string.Empty : $"<title>{H(tip)}</title>";
        h.Append(Invariant, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" fill=\"{color}\"{sizeAttribute}{weightAttribute}{(halo ? Halo : string.Empty)}>{tipElement}{H(text)}</text>\n");
    }

    /// <summary>
    /// The ticks of a count axis from 0: steps of 1, 2, 2.5 or 5 times a power of ten (whole numbers only), at most
    /// about six steps, the last tick at or above <paramref name="max"/>.
    /// </summary>
    internal static double[] Ticks(double max)
    {
        if (max <= 0)
        {
            return [0, 1];
        }

        var rough = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double[] multiples = magnitude >= 10 ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10];
        var step = Math.Max(1, multiples.Select(m => m * magnitude).First(s => s >= rough));
        var steps = (int)Math.Ceiling((max / step) - 1e-9);
        return Enumerable.Range(0, steps + 1).Select(i => i * step).ToArray();
    }

    /// <summary>A chart's description: what it shows and, for a few bars, their values.</summary>
    private static string Summarize(string what, IReadOnlyList<Bar> bars, bool percent)
    {
        var values = bars.Take(8).Select(b => $"{Clean(b.Label, MaxLabelLength)} {(percent && b.Share is not null ? Percent(b.Share) : b.Count.Text)}");
        var more = bars.Count > 8 ? $" and {(bars.Count - 8).ToString("N0", Invariant)} more" : string.Empty;
        return $"{what}: {string.Join(", ", values)}{more}. The table beside it has the same numbers.";
    }

    private static string AxisPercent(double share) => (share * 100).ToString("0", Invariant) + "%";

    private static string Count(double value) => value.ToString("N0", Invariant);

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", Invariant);
}
