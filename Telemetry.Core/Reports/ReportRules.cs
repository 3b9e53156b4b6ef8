namespace Telemetry.Core.Reports;

/// <summary>
/// The rules of the contract that both formats share, in one place, each throwing a
/// <see cref="ReportRuleException"/> whose message names the field as the format spells it.
/// </summary>
internal static class ReportRules
{
    public static ServerId ServerId(string text, string field) =>
        Reports.ServerId.TryParse(text, out var id)
            ? id.Value
            : throw new ReportRuleException($"\"{field}\" \"{ReportText.Clip(text)}\" is not a Server ID (four groups of four letters or digits joined by '-')");

    public static DateTimeOffset Instant(string text, string field) =>
        Timestamps.TryParseInstant(text, out var at)
            ? at
            : throw new ReportRuleException($"\"{field}\" \"{ReportText.Clip(text)}\" is not an ISO 8601 date and time with a UTC offset");

    /// <summary>A report id: absent when blank (some builds send none), otherwise a UUID.</summary>
    public static Guid? ReportId(string? text, string field)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return Guid.TryParseExact(trimmed, "D", out var id)
            ? id
            : throw new ReportRuleException($"\"{field}\" \"{ReportText.Clip(trimmed)}\" is not a UUID");
    }

    /// <summary><c>server</c> or <c>datacenter</c>, in any letter case; stored lower case.</summary>
    public static string? Edition(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        var normalised = text.Trim().ToLowerInvariant();
        return normalised is "server" or "datacenter"
            ? normalised
            : throw new ReportRuleException($"\"{field}\" is \"{ReportText.Clip(text)}\", expected server or datacenter");
    }

    /// <summary>A period is required on monthly reports and not allowed on the others; returns whether one must be read.</summary>
    public static bool PeriodExpected(ReportKind kind, bool present, string field)
    {
        if (kind == ReportKind.Monthly)
        {
            return present
                ? true
                : throw new ReportRuleException($"\"{field}\" is missing; monthly reports must say which month they cover");
        }

        return present
            ? throw new ReportRuleException($"\"{field}\" is only allowed on monthly reports, and this is a {kind.ToWire()} report")
            : false;
    }

    public static ReportPeriod Period(string startText, string endText, string startField, string endField, string field)
    {
        if (!Timestamps.TryParseDate(startText, out var start))
        {
            throw new ReportRuleException($"\"{startField}\" \"{ReportText.Clip(startText)}\" is not a date (yyyy-mm-dd)");
        }

        if (!Timestamps.TryParseDate(endText, out var end))
        {
            throw new ReportRuleException($"\"{endField}\" \"{ReportText.Clip(endText)}\" is not a date (yyyy-mm-dd)");
        }

        return start <= end
            ? new ReportPeriod(start, end)
            : throw new ReportRuleException($"\"{field}\" starts on {start:yyyy-MM-dd}, after it ends on {end:yyyy-MM-dd}");
    }

    /// <summary>The version rule: above <paramref name="current"/> is a future format, below it is invalid.</summary>
    public static ParseResult? Version(long version, int current, string field, string what)
    {
        if (version > current)
        {
            return ParseResult.Unsupported(
                $"{what} version {version} is newer than this receiver understands (up to {current}); upgrade the receiver and process it again");
        }

        return version == current
            ? null
            : ParseResult.Invalid($"\"{field}\" is {version}, expected {current}");
    }
}
