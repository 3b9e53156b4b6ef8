using System.Text.Encodings.Web;
using System.Text.Json;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>Writes the JSON document of format 2 (or a future version) the way the add-on's builds do.</summary>
internal static class JsonReportWriter
{
    /// <summary>The layout choices come from <paramref name="style"/>, a stream of the report's own, so every message carrying it gets the same bytes.</summary>
    public static byte[] Write(Report report, InstanceProfile p, int formatVersion, Breakage breakage, Random style)
    {
        var options = new JsonWriterOptions
        {
            Indented = style.Chance(0.4),
            Encoder = style.Chance(0.5) ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default,
        };
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, options))
        {
            w.WriteStartObject();
            w.WriteString("format", Format2Parser.FormatName);
            w.WriteNumber("formatVersion", formatVersion);
            if (report.ReportId is { } id)
            {
                w.WriteString("reportId", id.ToString("D"));
            }

            w.WriteString("kind", report.Kind.ToWire());
            w.WriteString("serverId", breakage == Breakage.BadServerId ? WireFormat.BrokenServerId(p.ServerId, style) : p.ServerId);
            w.WriteString("generatedAt", WireFormat.Instant(report.GeneratedAt, p.WritesZ, breakage != Breakage.NoOffset));
            if (!report.Kind.IsNotice())
            {
                WriteUsage(w, report, p, formatVersion, breakage, style);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteUsage(Utf8JsonWriter w, Report report, InstanceProfile p, int formatVersion, Breakage breakage, Random style)
    {
        if (report.Period is { } period && breakage != Breakage.MissingPeriod)
        {
            w.WriteStartObject("period");
            var reversed = breakage == Breakage.PeriodReversed;
            w.WriteString("start", WireFormat.Date(reversed ? period.End : period.Start));
            w.WriteString("end", WireFormat.Date(reversed ? period.Start : period.End));
            w.WriteEndObject();
        }

        var c = report.Confluence;
        w.WriteStartObject("confluence");
        w.WriteString("version", c.Version);
        w.WriteString("edition", c.Edition);
        w.WriteNumber("clusterNodes", c.ClusterNodes ?? 1);
        w.WriteNumber("userCount", breakage == Breakage.NegativeCount ? -style.Between(1, 50) : c.UserCount ?? 0);
        w.WriteString("database", c.Database);
        w.WriteEndObject();

        var a = report.Addon;
        w.WriteStartObject("addon");
        w.WriteString("version", a.Version);
        w.WriteStartObject("license");
        w.WriteString("type", a.LicenseType);
        w.WriteString("sen", a.LicenseSen);
        if (a.LicenseMaxUsers is { } max)
        {
            w.WriteNumber("maxUsers", max);
        }

        if (a.LicenseExpiresOn is { } expires)
        {
            w.WriteString("expiresOn", WireFormat.Date(expires));
        }

        w.WriteEndObject();
        w.WriteEndObject();

        var u = report.Usage;
        w.WriteStartObject("usage");
        if (breakage == Breakage.NonIntegerCount)
        {
            w.WriteNumber("activeUsers", (u.ActiveUsers ?? 0) + 0.5);
        }
        else
        {
            w.WriteNumber("activeUsers", u.ActiveUsers ?? 0);
        }

        w.WriteNumber("spreadsheets", u.Spreadsheets ?? 0);
        w.WriteNumber("queries", u.Queries ?? 0);
        w.WriteNumber("pagesWithMacros", u.PagesWithMacros ?? 0);
        w.WriteEndObject();

        w.WriteStartArray("connections");
        foreach (var conn in report.Connections)
        {
            w.WriteStartObject();
            w.WriteString("type", conn.Name);
            w.WriteNumber("count", conn.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteCounts(w, "features", report.Features);
        WriteCounts(w, "errors", report.Errors);

        if (report.Contact is { } contact)
        {
            w.WriteStartObject("contact");
            if (contact.Email is not null)
            {
                w.WriteString("email", contact.Email);
            }

            if (contact.Name is not null)
            {
                w.WriteString("name", contact.Name);
            }

            w.WriteEndObject();
        }

        if (p.Environment is { } env)
        {
            w.WriteStartObject("environment");
            w.WriteString("javaVersion", env.Java);
            w.WriteString("os", env.Os);
            w.WriteString("hostname", env.Hostname);
            w.WriteString("ip", env.Ip);
            w.WriteEndObject();
        }

        if (formatVersion > 2)
        {
            w.WriteStartObject("sampling");
            w.WriteString("window", "P1M");
            w.WriteNumber("coverage", 0.97);
            w.WriteEndObject();
        }
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyList<NamedCount> counts)
    {
        w.WriteStartObject(name);
        foreach (var c in counts)
        {
            w.WriteNumber(c.Name, c.Count);
        }

        w.WriteEndObject();
    }
}
