using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// What a receiver must decide for one item of a message.
/// </summary>
/// <param name="Outcome">The wire word of the outcome: accepted, duplicate, dropped, invalid, unsupported or not-a-report.</param>
/// <param name="Report">The report the parsers must read (for accepted, duplicate and dropped); null otherwise.</param>
public sealed record ExpectedItem(string Outcome, Report? Report);
