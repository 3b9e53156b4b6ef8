using System.Text;

using Telemetry.Core.Reports;

namespace Telemetry.Fuzz;

/// <summary>
/// The code under fuzzing. Each target feeds one input to a parser and checks what comes back.
/// The parsers report bad input as outcomes (<see cref="ParseResult"/>, <see cref="ExtractedItem"/>), never as
/// exceptions: <c>ReportRuleException</c>, <c>JsonException</c> and the MIME parser's exceptions are caught inside
/// them. So a target catches nothing: any exception that escapes is a finding, and so is a result that breaks
/// the invariants below (<see cref="FuzzInvariantException"/>).
/// </summary>
public static class Targets
{
    public const string Extractor = "extractor";
    public const string Format1 = "format1";
    public const string Format2 = "format2";

    public static IReadOnlyList<string> Names { get; } = [Extractor, Format1, Format2];

    /// <summary>The extractor with the default limits, as the receiver runs it, shared by every input.</summary>
    private static readonly ReportExtractor ReportExtractor = new(ExtractionLimits.Default);

    /// <summary>The action of a target, or null for an unknown name.</summary>
    public static Action<byte[]>? Find(string name) => name switch
    {
        Extractor => RunExtractor,
        Format1 => RunFormat1,
        Format2 => RunFormat2,
        _ => null,
    };

    /// <summary>Raw message bytes, as read from a mailbox, through <see cref="ReportExtractor"/>.</summary>
    public static void RunExtractor(byte[] input)
    {
        var items = ReportExtractor.Extract(input);
        if (items.Count == 0)
        {
            throw new FuzzInvariantException("the extractor returned no item (every message ends in at least one outcome)");
        }

        foreach (var item in items)
        {
            Check(item);
        }
    }

    /// <summary>Text (the input decoded as UTF-8) through <see cref="Format1Parser.ParseAll"/>.</summary>
    public static void RunFormat1(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        foreach (var result in Format1Parser.ParseAll(text))
        {
            Check(result, 1);
        }
    }

    /// <summary>The bytes of a JSON attachment through <see cref="Format2Parser.Parse"/>.</summary>
    public static void RunFormat2(byte[] input) => Check(Format2Parser.Parse(input), 2);

    private static void Check(ParseResult result, int formatVersion)
    {
        if (result.Report is { } report)
        {
            if (result.Rejection is not null || result.Reason is not null)
            {
                throw new FuzzInvariantException("a parse result holds both a report and a rejection");
            }

            if (report.FormatVersion != formatVersion)
            {
                throw new FuzzInvariantException($"a format {formatVersion} report says it is format {report.FormatVersion}");
            }

            CheckReport(report);
            return;
        }

        if (result.Rejection is null || string.IsNullOrEmpty(result.Reason))
        {
            throw new FuzzInvariantException("a parse result holds neither a report nor a rejection with its reason");
        }

        _ = result.ToItem("fuzz");
    }

    private static void Check(ExtractedItem item)
    {
        if (string.IsNullOrEmpty(item.Source))
        {
            throw new FuzzInvariantException("an extracted item has no source");
        }

        if (item.Report is { } report)
        {
            if (item.Rejection is not null || !item.IsReport)
            {
                throw new FuzzInvariantException("an extracted report is also a rejection, or not a report");
            }

            CheckReport(report);
            return;
        }

        if (item.Rejection is null || string.IsNullOrEmpty(item.Reason))
        {
            throw new FuzzInvariantException("an extracted item holds neither a report nor a rejection with its reason");
        }

        _ = item.Rejection.Value.ToWire();
    }

    /// <summary>What the contract promises of an accepted report (docs/report-format.md), and what the receiver computes from it.</summary>
    private static void CheckReport(Report report)
    {
        _ = report.Identity.Key;
        _ = report.Kind.ToWire();
        if (!ServerId.TryParse(report.ServerId.Value, out _))
        {
            throw new FuzzInvariantException("an accepted report has a malformed Server ID");
        }

        if (report.Period is { } period && period.Start > period.End)
        {
            throw new FuzzInvariantException("an accepted report has a period that ends before it starts");
        }

        long?[] counts =
        [
            report.Confluence.UserCount, report.Confluence.ClusterNodes, report.Addon.LicenseMaxUsers,
            report.Usage.ActiveUsers, report.Usage.Spreadsheets, report.Usage.Queries, report.Usage.PagesWithMacros,
        ];
        if (counts.Any(c => c < 0)
            || report.Connections.Concat(report.Features).Concat(report.Errors).Any(c => c.Count < 0))
        {
            throw new FuzzInvariantException("an accepted report has a negative count");
        }

        string?[] texts =
        [
            report.Confluence.Version, report.Confluence.Edition, report.Confluence.Database, report.Addon.Version,
            report.Addon.LicenseType, report.Addon.LicenseSen, report.Contact?.Email, report.Contact?.Name,
            .. report.Connections.Concat(report.Features).Concat(report.Errors).Select(c => c.Name),
        ];
        if (texts.Any(t => t is not null && (t.Length > 256 || t.Any(char.IsControl))))
        {
            throw new FuzzInvariantException("an accepted report keeps a text over 256 characters or with control characters");
        }
    }
}

/// <summary>A result that breaks what the parsers promise; reported to the fuzzer as a crash.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
