using System.Globalization;
using System.Net;
using System.Text;

namespace Telemetry.Core.Alerts;

/// <summary>
/// Writes a digest: a subject that holds only a count (nothing from a report ever reaches a header), and plain-text
/// and HTML parts listing each flag, most severe first. Values from reports are cleaned of control characters
/// (a CR/LF cannot fake a line) and shortened in both parts, and HTML-encoded in the HTML part.
/// </summary>
public static class DigestComposer
{
    private const int MaxValueLength = 300;

    public static string Subject(IReadOnlyCollection<AlertEntry> entries)
    {
        var instances = entries.Select(e => e.ServerId).Distinct(StringComparer.Ordinal).Count();
        return instances == 1
            ? "[telemetry] 1 instance needs attention"
            : string.Create(CultureInfo.InvariantCulture, $"[telemetry] {instances} instances need attention");
    }

    public static string Text(IReadOnlyCollection<AlertEntry> entries)
    {
        var text = new StringBuilder();
        text.Append(Summary(entries)).Append("\n\n");
        foreach (var e in Ordered(entries))
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Severity}: {e.Rule}, Server ID {Clean(e.ServerId)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Figures:    {Clean(e.Figures)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  First seen: {When(e.FirstSeen)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  What to do: {Clean(e.Advice)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Flag {e.FlagId}: telemetry health show {e.FlagId}\n\n");
        }

        text.Append("Sent by the telemetry receiver. Acknowledge a flag with: telemetry health ack ID --note TEXT\n");
        return text.ToString();
    }

    public static string Html(IReadOnlyCollection<AlertEntry> entries)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>{H(Summary(entries))}</p>\n");
        html.Append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\n");
        html.Append("<tr><th>Server ID</th><th>Rule</th><th>Severity</th><th>Figures</th><th>First seen</th><th>What to do</th><th>Flag</th></tr>\n");
        foreach (var e in Ordered(entries))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{H(e.ServerId)}</td><td>{H(e.Rule)}</td><td>{H(e.Severity.ToString())}</td><td>{H(e.Figures)}</td><td>{H(When(e.FirstSeen))}</td><td>{H(e.Advice)}</td><td>{e.FlagId}</td></tr>\n");
        }

        html.Append("</table>\n<p>Sent by the telemetry receiver. Acknowledge a flag with: <code>telemetry health ack ID --note TEXT</code></p>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>One line per line of a value, without control characters, at most <see cref="MaxValueLength"/> characters.</summary>
    internal static string Clean(string value)
    {
        var chars = value.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var clean = new string(chars);
        return clean.Length <= MaxValueLength ? clean : clean[..MaxValueLength] + "…";
    }

    private static string H(string value) => WebUtility.HtmlEncode(Clean(value));

    private static string Summary(IReadOnlyCollection<AlertEntry> entries)
    {
        var instances = entries.Select(e => e.ServerId).Distinct(StringComparer.Ordinal).Count();
        return string.Create(CultureInfo.InvariantCulture, $"{entries.Count} new health {(entries.Count == 1 ? "flag" : "flags")} on {instances} {(instances == 1 ? "instance" : "instances")}.");
    }

    private static IEnumerable<AlertEntry> Ordered(IEnumerable<AlertEntry> entries) =>
        entries.OrderByDescending(e => e.Severity).ThenBy(e => e.ServerId, StringComparer.Ordinal).ThenBy(e => e.FlagId);

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
