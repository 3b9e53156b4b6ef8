using System.Text;
using System.Text.Json;
using Telemetry.Core.Reports;

namespace Telemetry.Tests.Fuzz;

/// <summary>
/// The inputs with which fuzzing (fuzz/run.sh, docs/fuzzing.md) made a parser throw, kept in Fuzz/findings/TARGET/
/// with the outcomes they must end in listed in Fuzz/findings/expected.json. Each input goes through the same entry
/// point as its fuzz target: the extractor with the default limits (raw message bytes), Format1Parser.ParseAll (text)
/// or Format2Parser.Parse (JSON bytes).
/// </summary>
public sealed class FuzzFindingsTests
{
    private static readonly string FindingsDirectory = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fuzz", "findings");

    private static readonly string[] Targets = ["extractor", "format1", "format2"];

    public static IEnumerable<TestCaseData> Findings()
    {
        foreach (var (file, outcomes, reason) in Expected())
        {
            yield return new TestCaseData(file, outcomes, reason)
                .SetName("Fuzz_" + file.Replace('/', '_').Replace('.', '_'));
        }
    }

    [TestCaseSource(nameof(Findings))]
    public void Finding_EndsInItsOutcome_WithoutThrowing(string file, string[] expected, string? reason)
    {
        var items = Run(file);

        Assert.That(items.Select(i => i.Outcome), Is.EqualTo(expected), string.Join("; ", items.Select(i => i.Reason)));
        if (!string.IsNullOrEmpty(reason))
        {
            Assert.That(items.Select(i => i.Reason), Has.Some.Contains(reason));
        }
    }

    [Test]
    public void EveryFindingOnDisk_IsListedWithItsOutcome()
    {
        var onDisk = Targets
            .Where(t => Directory.Exists(Path.Combine(FindingsDirectory, t)))
            .SelectMany(t => Directory.EnumerateFiles(Path.Combine(FindingsDirectory, t)).Select(f => t + "/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

        Assert.That(onDisk, Is.EqualTo(Expected().Select(e => e.File).Order(StringComparer.Ordinal)));
    }

    /// <summary>The fault of the saved format 2 findings reached through an escape instead of raw bytes.</summary>
    [TestCase("\"kind\": \"in\\ud800stall\"", "\"kind\" is not valid UTF-8 text")]
    [TestCase("\"kind\": \"install\", \"contact\": {\"name\": \"\\udc00\"}", "\"name\" is not valid UTF-8 text")]
    [TestCase("\"kind\": \"install\", \"features\": {\"\\ud800x\": 1}", "\"features\" has a field name that is not valid UTF-8 text")]
    public void Format2_LoneSurrogateEscape_IsInvalid(string members, string reason)
    {
        const string Identity = "\"format\": \"playsql-report\", \"formatVersion\": 2, \"serverId\": \"B1TW-5NYH-B6LE-ZMQS\", \"generatedAt\": \"2026-11-01T02:00:03+01:00\"";

        var result = Format2Parser.Parse(Encoding.UTF8.GetBytes("{" + Identity + ", " + members + "}"));

        Assert.That(result.Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(result.Reason, Does.Contain(reason));
    }

    private static IEnumerable<(string File, string[] Outcomes, string? Reason)> Expected()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FindingsDirectory, "expected.json")));
        var list = new List<(string, string[], string?)>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var outcomes = entry.Value.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()!).ToArray();
            var reason = entry.Value.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            list.Add((entry.Name, outcomes, reason));
        }

        return list;
    }

    /// <summary>What the fuzz target of the file's folder does with it: one (outcome, reason) per item or result.</summary>
    private static List<(string Outcome, string? Reason)> Run(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FindingsDirectory, file));
        var target = file[..file.IndexOf('/', StringComparison.Ordinal)];
        return target switch
        {
            "extractor" => [.. new ReportExtractor(ExtractionLimits.Default).Extract(bytes).Select(i => (Word(i.Report, i.Rejection), i.Reason))],
            "format1" => [.. Format1Parser.ParseAll(Encoding.UTF8.GetString(bytes)).Select(Of)],
            "format2" => [Of(Format2Parser.Parse(bytes))],
            _ => throw new InvalidOperationException($"no fuzz target '{target}' (folders: {string.Join(", ", Targets)})"),
        };
    }

    private static (string Outcome, string? Reason) Of(ParseResult result) => (Word(result.Report, result.Rejection), result.Reason);

    /// <summary>"valid" for a report, otherwise the wire word of the rejection.</summary>
    private static string Word(Report? report, Outcome? rejection) => report is not null ? "valid" : rejection!.Value.ToWire();
}
