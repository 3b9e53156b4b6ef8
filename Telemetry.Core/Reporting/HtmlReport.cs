using System.Globalization;
using System.Net;
using System.Text;

using Telemetry.Core.Health;
using Telemetry.Core.Stats;

namespace Telemetry.Core.Reporting;

/// <summary>
/// Renders the published statistics as one self-contained HTML5 page: inline CSS, inline SVG charts, no script, no
/// font, image or style from elsewhere, and a Content-Security-Policy that forbids loading anything. Each chart has
/// a table with the same numbers beside it. Every text that comes from the data (reports arrive by email) is cleaned
/// of control characters and HTML-encoded, in HTML and in SVG alike. The output is also well-formed XML.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>The policy of the page's Content-Security-Policy meta element: nothing may be loaded.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    /// <summary>The longest text from the data that a table shows; longer ones end with "…".</summary>
    private const int MaxTextLength = 300;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The whole page.</summary>
    public static string Render(ReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var html = new StringBuilder(64 * 1024);
        Document(html, data);
        return html.ToString();
    }

    /// <summary>Writes the whole page to <paramref name="writer"/> (which should encode UTF-8, as the page says).</summary>
    public static void Write(ReportData data, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(data));
    }

    private static void Document(StringBuilder h, ReportData d)
    {
        var showFlags = !d.Shareable && d.OpenFlags is not null;
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        h.Append(Invariant, $"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\" />\n");
        h.Append("<meta name=\"referrer\" content=\"no-referrer\" />\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        h.Append("<meta name=\"color-scheme\" content=\"light\" />\n");
        h.Append(Invariant, $"<title>Play SQL Spreadsheets usage statistics as of {Date(d.AsOf)}{(d.Shareable ? " (shareable)" : string.Empty)}</title>\n");
        h.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<div class=\"page\">\n");

        Header(h, d);
        Contents(h, showFlags);
        h.Append("<main>\n");
        Summary(h, d);
        Trend(h, d);
        Features(h, d);
        Versions(h, d, "addon-versions", "Play SQL versions", "Play SQL version", d.AddonVersions);
        Versions(h, d, "confluence-versions", "Confluence versions", "Confluence version", d.ConfluenceVersions);
        Licenses(h, d);
        Editions(h, d);
        Connections(h, d);
        if (showFlags)
        {
            Flags(h, d.OpenFlags!);
        }

        h.Append("</main>\n");
        Footer(h, d);
        h.Append("</div>\n</body>\n</html>\n");
    }

    private static void Header(StringBuilder h, ReportData d)
    {
        h.Append("<header>\n<h1>Play SQL Spreadsheets usage statistics</h1>\n");
        h.Append(Invariant, $"<p class=\"meta\">As of <strong>{Date(d.AsOf)}</strong> · an instance is active when its latest report is at most <strong>{d.ActiveWindowDays.ToString("N0", Invariant)} days</strong> old</p>\n");
        if (d.Shareable)
        {
            h.Append("<div class=\"banner shareable\" role=\"note\">\n<p><strong>Shareable version.</strong> Small counts are hidden so that no single installation can be recognised:</p>\n<ul>\n");
            h.Append(Invariant, $"<li><strong class=\"sym\">{H(Figure.SmallText)}</strong> fewer than 5 instances;</li>\n");
            h.Append(Invariant, $"<li><strong class=\"sym\">{H(Figure.HiddenText)}</strong> hidden so that a small count cannot be worked out from the others.</li>\n");
            h.Append("</ul>\n<p>The shares of hidden counts are not shown, and charts draw no bar or point for them. Health flags are never part of a shareable report.</p>\n</div>\n");
        }
        else
        {
            h.Append("<div class=\"banner internal\" role=\"note\"><p><strong>Internal version.</strong> It may show small counts");
            h.Append(d.OpenFlags is null ? "" : " and the Server IDs of instances with open health flags");
            h.Append(": do not share it; make a shareable version instead.</p></div>\n");
        }

        h.Append("</header>\n");
    }

    private static void Contents(StringBuilder h, bool showFlags)
    {
        h.Append("<nav class=\"toc\" aria-label=\"Contents\"><ul>\n");
        (string Id, string Title)[] entries =
        [
            ("summary", "Headline figures"),
            ("trend", "24-month trend"),
            ("features", "Feature adoption"),
            ("addon-versions", "Play SQL versions"),
            ("confluence-versions", "Confluence versions"),
            ("licenses", "Licenses"),
            ("editions", "Editions"),
            ("connections", "Connections"),
        ];
        foreach (var (id, title) in entries)
        {
            h.Append(Invariant, $"<li><a href=\"#{id}\">{title}</a></li>\n");
        }

        if (showFlags)
        {
            h.Append("<li><a href=\"#flags\">Open health flags</a></li>\n");
        }

        h.Append("</ul></nav>\n");
    }

    private static void Summary(StringBuilder h, ReportData d)
    {
        var s = d.Summary;
        SectionStart(h, "summary", "Headline figures");
        h.Append("<dl class=\"cards\">\n");
        Card(h, "Active instances", s.ActiveInstances, $"latest report at most {d.ActiveWindowDays.ToString("N0", Invariant)} days old");
        Card(h, "Confluence users", s.Users, "of the active instances");
        Card(h, "Play SQL active users", s.ActiveUsers, "of the active instances");
        Card(h, "Silent instances", s.SilentInstances, "latest report older than the active window");
        Card(h, "Opted out", s.OptedOutInstances, "instances that asked to send no more reports");
        h.Append("</dl>\n</section>\n");
    }

    private static void Card(StringBuilder h, string title, Figure figure, string note) =>
        h.Append(Invariant, $"<div class=\"card\"><dt>{title}</dt><dd class=\"value\">{H(figure.Text)}</dd><dd class=\"note\">{H(note)}</dd></div>\n");

    private static void Trend(StringBuilder h, ReportData d)
    {
        SectionStart(h, "trend", "24-month trend");
        h.Append(Invariant, $"<p class=\"lead\">Each month as it stood at its end; the current month as it stood on {Date(d.AsOf)}.</p>\n");
        if (d.Trend.Count == 0)
        {
            NoData(h, "No data: there is no month to show.");
            h.Append("</section>\n");
            return;
        }

        var first = Month(d.Trend[0].Month);
        var last = Month(d.Trend[^1].Month);
        h.Append("<div class=\"charts\">\n");
        TrendFigure(h, d, "trend-active-instances", "Active instances", "active instances", 1000, p => p.ActiveInstances);
        TrendFigure(h, d, "trend-users", "Confluence users", "Confluence users of the active instances", 560, p => p.Users);
        TrendFigure(h, d, "trend-active-users", "Play SQL active users", "Play SQL active users of the active instances", 560, p => p.ActiveUsers);
        h.Append("</div>\n");

        TableStart(h, $"Monthly figures from {first} to {last}: the stock at each month's end and the flows during the month", "trend-table");
        h.Append("<thead><tr><th scope=\"col\">Month</th><th scope=\"col\" class=\"num\">Active instances</th><th scope=\"col\" class=\"num\">Confluence users</th><th scope=\"col\" class=\"num\">Play SQL active users</th><th scope=\"col\" class=\"num\">New installations</th><th scope=\"col\" class=\"num\">Went silent</th><th scope=\"col\" class=\"num\">Opted out</th></tr></thead>\n<tbody>\n");
        foreach (var p in d.Trend)
        {
            h.Append(Invariant, $"<tr><th scope=\"row\" class=\"nowrap\">{Month(p.Month)}</th>{Num(p.ActiveInstances)}{Num(p.Users)}{Num(p.ActiveUsers)}{Num(p.NewInstallations)}{Num(p.WentSilent)}{Num(p.OptedOut)}</tr>\n");
        }

        TableEnd(h);
        h.Append("</section>\n");
    }

    /// <param name="title">The caption and the axis title.</param>
    /// <param name="what">What is counted, in a sentence.</param>
    private static void TrendFigure(StringBuilder h, ReportData d, string name, string title, string what, double width, Func<TrendPoint, Figure> measure)
    {
        var values = d.Trend.Select(measure).ToList();
        h.Append(Invariant, $"<figure class=\"chart{(width > 800 ? " wide" : string.Empty)}\"><figcaption>{title}</figcaption>\n");
        if (values.All(v => v is { IsShown: true, Value: 0 }))
        {
            NoData(h, $"No data: no {what} in these months.");
        }
        else
        {
            var desc = $"Line chart of the {what} at the end of each month from {Month(d.Trend[0].Month)} to {Month(d.Trend[^1].Month)}"
                + $"; latest {Describe(values[^1])}, highest {Describe(values.Where(v => v.IsShown).DefaultIfEmpty(new Figure(0)).Max(v => v.Value))}. The table below has every month.";
            LineChart(h, name, $"{title} per month", desc, title, d.Trend.Select(p => p.Month).ToList(), values, width);
        }

        h.Append("</figure>\n");
    }

    private static void Features(StringBuilder h, ReportData d)
    {
        SectionStart(h, "features", "Feature adoption");
        h.Append(Invariant, $"<p class=\"lead\">Share of the {H(d.MonthlyBase.Text)} active instances whose latest report is a monthly one that use each feature.</p>\n");
        if (d.Features.Count == 0)
        {
            NoData(h, "No data: no active instance with a monthly report.");
            h.Append("</section>\n");
            return;
        }

        h.Append("<div class=\"pair\">\n<figure class=\"chart\"><figcaption>Instances using each feature (%)</figcaption>\n");
        var bars = d.Features.Select(f => new Bar(f.Feature, f.Instances, f.Share)).ToList();
        HorizontalBars(h, "features", "Feature adoption", Summarize("Horizontal bar chart of the share of active instances with a monthly report that use each feature", bars, percent: true), "Share of active instances with a monthly report", bars, percent: true);
        h.Append("</figure>\n");
        TableStart(h, "Feature adoption");
        h.Append("<thead><tr><th scope=\"col\">Feature</th><th scope=\"col\" class=\"num\">Instances</th><th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n");
        foreach (var f in d.Features)
        {
            h.Append(Invariant, $"<tr><th scope=\"row\">{H(f.Feature)}</th>{Num(f.Instances)}{Pct(f.Share, f.Instances)}</tr>\n");
        }

        TableEnd(h);
        h.Append("</div>\n</section>\n");
    }

    private static void Versions(StringBuilder h, ReportData d, string id, string title, string versionName, IReadOnlyList<VersionRow> rows)
    {
        SectionStart(h, id, title);
        h.Append(Invariant, $"<p class=\"lead\">Active instances on each {versionName}, and the share running that version or a later one.</p>\n");
        if (rows.Count == 0)
        {
            NoData(h, $"No data: no active instance reported its {versionName}.");
            h.Append("</section>\n");
            return;
        }

        h.Append(Invariant, $"<div class=\"pair\">\n<figure class=\"chart\"><figcaption>Active instances per {versionName}</figcaption>\n");
        var known = rows.Where(r => !IsUnknown(r.Version) && r.AtLeastShare is not null).ToList();
        var desc = $"Bar chart of the active instances on each of {rows.Count.ToString("N0", Invariant)} {versionName}s, in version order, "
            + "with a line on a 0 to 100% axis for the share running at least that version"
            + (known.Count > 0 ? $" ({Percent(known[0].AtLeastShare)} run {known[0].Version} or later, {Percent(known[^1].AtLeastShare)} run {known[^1].Version})." : ".");
        VersionChart(h, id, $"{title}: instances and running at least this version", desc, versionName, rows);
        h.Append("</figure>\n");
        TableStart(h, $"Active instances per {versionName}");
        h.Append(Invariant, $"<thead><tr><th scope=\"col\" rowspan=\"2\">Version</th><th scope=\"colgroup\" colspan=\"2\" class=\"group\">On this version</th><th scope=\"colgroup\" colspan=\"2\" class=\"group\">On this version or later</th></tr>\n");
        h.Append("<tr><th scope=\"col\" class=\"num\">Instances</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">Instances</th><th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            h.Append(Invariant, $"<tr><th scope=\"row\">{H(r.Version)}</th>{Num(r.Instances)}{Pct(r.Share, r.Instances)}");
            h.Append(r.AtLeast is not { } atLeast ? "<td class=\"num\">–</td><td class=\"num\">–</td>" : Num(atLeast) + Pct(r.AtLeastShare, atLeast));
            h.Append("</tr>\n");
        }

        TableEnd(h);
        h.Append("</div>\n</section>\n");
    }

    private static void Licenses(StringBuilder h, ReportData d) =>
        BarSection(
            h,
            "licenses",
            "Licenses",
            "Active instances per license type, and their Confluence users.",
            "No data: no active instance reported its license.",
            "Active instances per license type",
            "License mix",
            "Horizontal bar chart of the active instances per license type",
            [.. d.Licenses.Select(l => new Bar(l.LicenseType, l.Instances, l.Share))],
            "License mix",
            "<th scope=\"col\">License type</th><th scope=\"col\" class=\"num\">Instances</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">Confluence users</th>",
            d.Licenses.Select(l => $"<tr><th scope=\"row\">{H(l.LicenseType)}</th>{Num(l.Instances)}{Pct(l.Share, l.Instances)}{Num(l.Users)}</tr>"));

    private static void Editions(StringBuilder h, ReportData d) =>
        BarSection(
            h,
            "editions",
            "Editions",
            "Active instances on Confluence Server and Data Center, and the size of the Data Center clusters.",
            "No data: no active instance reported its edition.",
            "Active instances per edition and cluster size",
            "Editions and cluster sizes",
            "Horizontal bar chart of the active instances per edition, then per number of cluster nodes",
            [.. d.Editions.Select(e => new Bar(EditionLabel(e), e.Instances, e.Share, Sub: e.ClusterNodes is not null))],
            "Editions and cluster sizes",
            "<th scope=\"col\">Edition</th><th scope=\"col\" class=\"num\">Cluster nodes</th><th scope=\"col\" class=\"num\">Instances</th><th scope=\"col\" class=\"num\">Share</th>",
            d.Editions.Select(e =>
            {
                var nodes = e.ClusterNodes is { } n ? n.ToString("N0", Invariant) : "–";
                var cls = e.ClusterNodes is null ? string.Empty : " class=\"sub\"";
                return $"<tr><th scope=\"row\"{cls}>{H(e.Edition)}</th><td class=\"num\">{nodes}</td>{Num(e.Instances)}{Pct(e.Share, e.Instances)}</tr>";
            }));

    private static void Connections(StringBuilder h, ReportData d) =>
        BarSection(
            h,
            "connections",
            "Connections",
            "Active instances with at least one connection to each type of database (an instance may use several), and the number of those connections.",
            "No data: no active instance reported a database connection.",
            "Active instances per database type",
            "Connections by database type",
            "Horizontal bar chart of the active instances with a connection to each database type",
            [.. d.Connections.Select(c => new Bar(c.Type, c.Instances, c.Share))],
            "Connections by database type (share of all active instances)",
            "<th scope=\"col\">Database type</th><th scope=\"col\" class=\"num\">Instances</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">Connections</th>",
            d.Connections.Select(c => $"<tr><th scope=\"row\">{H(c.Type)}</th>{Num(c.Instances)}{Pct(c.Share, c.Instances)}{Num(c.Connections)}</tr>"));

    /// <summary>
    /// A section of one horizontal bar chart of instances beside the table of the same figures, or a note when there
    /// is no data. Header cells and rows are HTML already encoded by the caller.
    /// </summary>
    private static void BarSection(
        StringBuilder h,
        string id,
        string title,
        string lead,
        string noData,
        string figureCaption,
        string chartTitle,
        string chartDescription,
        IReadOnlyList<Bar> bars,
        string tableCaption,
        string headerCells,
        IEnumerable<string> rows)
    {
        SectionStart(h, id, title);
        h.Append(Invariant, $"<p class=\"lead\">{lead}</p>\n");
        if (bars.Count == 0)
        {
            NoData(h, noData);
            h.Append("</section>\n");
            return;
        }

        h.Append(Invariant, $"<div class=\"pair\">\n<figure class=\"chart\"><figcaption>{figureCaption}</figcaption>\n");
        HorizontalBars(h, id, chartTitle, Summarize(chartDescription, bars, percent: false), "Active instances", bars, percent: false);
        h.Append("</figure>\n");
        TableStart(h, tableCaption);
        h.Append(Invariant, $"<thead><tr>{headerCells}</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            h.Append(row).Append('\n');
        }

        TableEnd(h);
        h.Append("</div>\n</section>\n");
    }

    private static void Flags(StringBuilder h, IReadOnlyList<HealthFlag> flags)
    {
        SectionStart(h, "flags", "Open health flags");
        h.Append("<p class=\"lead\">Instances in trouble according to a health rule, most severe first. Internal only: this section holds Server IDs.</p>\n");
        if (flags.Count == 0)
        {
            NoData(h, "No open health flag.");
            h.Append("</section>\n");
            return;
        }

        TableStart(h, $"{flags.Count.ToString("N0", Invariant)} open health {(flags.Count == 1 ? "flag" : "flags")}", "flags-table");
        h.Append("<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\">Server ID</th><th scope=\"col\">Figures</th><th scope=\"col\">First seen</th></tr></thead>\n<tbody>\n");
        var ordered = flags
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ThenBy(f => f.ServerId, StringComparer.Ordinal)
            .ThenBy(f => f.Id);
        foreach (var f in ordered)
        {
            var severity = f.Severity.ToString();
            h.Append(Invariant, $"<tr><td>{H(f.Rule)}</td><td class=\"sev-{severity.ToLowerInvariant()}\">{severity}</td><td class=\"wrap\"><code>{H(f.ServerId)}</code></td><td class=\"wrap\">{H(f.Figures)}</td><td class=\"nowrap\">{When(f.FirstSeen)}</td></tr>\n");
        }

        TableEnd(h);
        h.Append("</section>\n");
    }

    private static void Footer(StringBuilder h, ReportData d)
    {
        h.Append("<footer>\n<p>Made by the telemetry receiver from the monthly and install reports of Play SQL Spreadsheets installations. ");
        h.Append(Invariant, $"Active: the latest report is at most {d.ActiveWindowDays.ToString("N0", Invariant)} days old on {Date(d.AsOf)}; silent: it is older; opted out: the instance asked to send no more reports. ");
        h.Append("Shares are of the active instances unless said otherwise.</p>\n");
        if (d.Shareable)
        {
            h.Append(Invariant, $"<p>{H(Figure.SmallText)}: fewer than 5 instances. {H(Figure.HiddenText)}: hidden so that a small count cannot be worked out.</p>\n");
        }

        h.Append("</footer>\n");
    }

    private static void SectionStart(StringBuilder h, string id, string title) =>
        h.Append(Invariant, $"<section id=\"{id}\" aria-labelledby=\"{id}-heading\">\n<h2 id=\"{id}-heading\">{title}</h2>\n");

    private static void TableStart(StringBuilder h, string caption, string? id = null)
    {
        var idAttribute = id is null ? string.Empty : $" id=\"{id}\"";
        h.Append(Invariant, $"<div class=\"table-wrap\"><table{idAttribute}>\n<caption>{H(caption)}</caption>\n");
    }

    private static void TableEnd(StringBuilder h) => h.Append("</tbody>\n</table></div>\n");

    private static void NoData(StringBuilder h, string text) => h.Append(Invariant, $"<p class=\"no-data\">{H(text)}</p>\n");

    private static string Num(Figure figure) =>
        figure.IsShown ? $"<td class=\"num\">{figure.Text}</td>" : $"<td class=\"num hidden-figure\">{H(figure.Text)}</td>";

    /// <summary>A share with one decimal, or the figure's symbol when the figure is hidden (its share is then null).</summary>
    private static string Pct(double? share, Figure of) =>
        share is not null ? $"<td class=\"num\">{Percent(share)}</td>"
        : of.IsShown ? "<td class=\"num\">–</td>"
        : $"<td class=\"num hidden-figure\">{H(of.Text)}</td>";

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", Invariant) + "%" : "–";

    private static string Describe(Figure figure) => figure.IsShown ? figure.Text : $"hidden ({figure.Text})";

    private static string EditionLabel(EditionRow e) =>
        e.ClusterNodes is { } n ? $"{Clean(e.Edition, MaxLabelLength - 12)}, {n.ToString("N0", Invariant)} {(n == 1 ? "node" : "nodes")}" : e.Edition;

    private static bool IsUnknown(string version) => string.Equals(version, "unknown", StringComparison.OrdinalIgnoreCase);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", Invariant);

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    /// <summary>HTML-encodes a text from the data, cleaned and shortened (for element content and attribute values alike).</summary>
    private static string H(string? value, int maxLength = MaxTextLength) => WebUtility.HtmlEncode(Clean(value ?? string.Empty, maxLength));

    /// <summary>
    /// Replaces what neither HTML nor XML may hold (control characters, lone surrogates, U+FFFE, U+FFFF) and shortens
    /// to <paramref name="maxLength"/> characters, ending with "…" when it was longer.
    /// </summary>
    internal static string Clean(string value, int maxLength = MaxTextLength)
    {
        var clean = new StringBuilder(Math.Min(value.Length, maxLength + 2));
        for (var i = 0; i < value.Length && clean.Length <= maxLength; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                clean.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                clean.Append('\uFFFD');
            }
            else
            {
                clean.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        if (clean.Length <= maxLength)
        {
            return clean.ToString();
        }

        var cut = maxLength - 1;
        if (cut > 0 && char.IsHighSurrogate(clean[cut - 1]))
        {
            cut--;
        }

        return clean.ToString(0, cut) + "…";
    }
}
