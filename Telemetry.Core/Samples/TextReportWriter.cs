using System.Globalization;
using System.Text;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>Writes the text block of format 1, as add-on 3.x puts it in the body of its mail.</summary>
internal static class TextReportWriter
{
    public static string Write(Report report, InstanceProfile p, Breakage breakage, Random style)
    {
        var b = new StringBuilder();
        void Line(string key, string? value)
        {
            if (value is not null)
            {
                b.Append(key).Append(": ").Append(value).Append('\n');
            }
        }

        static string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "0";

        b.Append(Format1Parser.BeginMarker).Append('\n');
        Line("Report-Version", "1");
        Line("Report-Id", report.ReportId?.ToString("D"));
        Line("Kind", report.Kind.ToWire());
        Line("Server-Id", breakage == Breakage.BadServerId ? WireFormat.BrokenServerId(p.ServerId, style) : p.ServerId);
        Line("Generated-At", WireFormat.Instant(report.GeneratedAt, p.WritesZ, breakage != Breakage.NoOffset));
        if (report.Period is { } period && breakage != Breakage.MissingPeriod)
        {
            var reversed = breakage == Breakage.PeriodReversed;
            Line("Period", $"{WireFormat.Date(reversed ? period.End : period.Start)}/{WireFormat.Date(reversed ? period.Start : period.End)}");
        }

        Line("Confluence-Version", report.Confluence.Version);
        Line("Confluence-Users", N(report.Confluence.UserCount));
        Line("Play-SQL-Version", report.Addon.Version);
        Line("License-Type", report.Addon.LicenseType);
        Line("License-SEN", report.Addon.LicenseSen);
        Line("Active-Users", breakage == Breakage.NonIntegerCount ? N(report.Usage.ActiveUsers) + ".5" : N(report.Usage.ActiveUsers));
        Line("Spreadsheets", N(report.Usage.Spreadsheets));
        Line("Queries", breakage == Breakage.NegativeCount ? "-" + style.Between(1, 50).ToString(CultureInfo.InvariantCulture) : N(report.Usage.Queries));
        Line("Connections", Pairs(report.Connections));
        Line("Features", Pairs(report.Features));
        Line("Errors", Pairs(report.Errors));
        Line("Contact-Email", report.Contact?.Email);
        b.Append(Format1Parser.EndMarker).Append('\n');
        return b.ToString();
    }

    private static string Pairs(IReadOnlyList<NamedCount> counts) =>
        string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name}={c.Count}")));
}
