namespace Telemetry.Core.Reports;

/// <summary>Finds the reports in a raw message (see <see cref="ReportExtractor"/>).</summary>
public interface IReportExtractor
{
    IReadOnlyList<ExtractedItem> Extract(ReadOnlyMemory<byte> raw);

    ExtractedItem TooLarge(long size);
}
