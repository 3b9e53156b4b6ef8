using System.Globalization;

namespace Telemetry.Core.Reports;

/// <summary>
/// What makes two reports "the same report": the sender's report id when there is one, otherwise
/// (Server ID, kind, period start) for monthly reports and (Server ID, kind, generation instant) for the others.
/// </summary>
public readonly record struct ReportIdentity(string Key)
{
    public override string ToString() => Key;

    public static ReportIdentity For(Report report)
    {
        if (report.ReportId is { } id)
        {
            return new ReportIdentity("id:" + id.ToString("D"));
        }

        var kind = report.Kind.ToWire();
        if (report.Kind == ReportKind.Monthly && report.Period is { } period)
        {
            return new ReportIdentity(string.Create(
                CultureInfo.InvariantCulture,
                $"fallback:{report.ServerId}/{kind}/{period.Start:yyyy-MM-dd}"));
        }

        return new ReportIdentity(string.Create(
            CultureInfo.InvariantCulture,
            $"fallback:{report.ServerId}/{kind}/{report.GeneratedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}"));
    }
}
