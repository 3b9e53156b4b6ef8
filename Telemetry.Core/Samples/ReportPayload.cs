using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>A planned report with its expected reading and its wire form: JSON bytes (format 2 and later) or a text block (format 1).</summary>
internal sealed record ReportPayload(PlannedReport Planned, Report Report, byte[]? Json, string? Text);
