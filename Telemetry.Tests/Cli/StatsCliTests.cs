using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Core.Samples;
using Telemetry.Receiver.Cli;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Cli;

/// <summary>The statistics commands on a generated population: shapes for scripts, charts only for people on a terminal.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatsCliTests : IDisposable
{
    private static readonly string[][] Commands =
    [
        ["stats", "summary"],
        ["stats", "trend"],
        ["stats", "trend", "--from", "2026-01", "--to", "2026-10"],
        ["stats", "features"],
        ["stats", "features", "--trend", "--from", "2026-06"],
        ["stats", "versions", "--cumulative"],
        ["stats", "versions", "--of", "confluence", "--cumulative"],
        ["stats", "licenses"],
        ["stats", "connections"],
        ["stats", "editions"],
    ];

    private TestStore store = null!;

    [OneTimeSetUp]
    public void Populate()
    {
        store = new TestStore();
        var corpus = new CorpusGenerator(new CorpusOptions { Instances = 60, Months = 14, Seed = 7, OptOutRate = 0.1 }).Generate();
        store.Ingest(corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name)));
    }

    [OneTimeTearDown]
    public void Dispose() => store.Dispose();

    public static IEnumerable<string[]> AllCommands() => Commands;

    [TestCaseSource(nameof(AllCommands))]
    public void Json_ParsesAndEveryCountIsANumberUnlessShareable(string[] command)
    {
        var plain = JsonDocument.Parse(Run(false, [.. command, "--format", "json"]).Out).RootElement;
        var shared = JsonDocument.Parse(Run(false, [.. command, "--format", "json", "--shareable"]).Out).RootElement;

        var plainValues = Values(plain).ToList();
        var sharedValues = Values(shared).ToList();
        Assert.That(sharedValues, Has.Count.EqualTo(plainValues.Count), "the same figures, some hidden");
        Assert.That(plainValues.Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()), Has.None.EqualTo("<5").And.None.EqualTo("x"));
        for (var i = 0; i < plainValues.Count; i++)
        {
            if (sharedValues[i].ValueKind == JsonValueKind.String && sharedValues[i].GetString() == "<5")
            {
                Assert.That(plainValues[i].GetInt64(), Is.LessThan(5), "only counts below 5 are shown as <5");
            }
            else if (sharedValues[i].ValueKind == JsonValueKind.Number && plainValues[i].ValueKind == JsonValueKind.Number)
            {
                Assert.That(sharedValues[i].GetDouble(), Is.EqualTo(plainValues[i].GetDouble()), "a figure that is shown is never altered");
            }
        }
    }

    [TestCaseSource(nameof(AllCommands))]
    public void Csv_HasAHeaderAndRows(string[] command)
    {
        var (exit, output, _) = Run(false, [.. command, "--format", "csv"]);
        Assert.That(exit, Is.Zero);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThan(1));
        Assert.That(lines.Skip(1).Select(l => l.Split(',').Length), Is.All.EqualTo(lines[0].Split(',').Length));
    }

    [TestCaseSource(nameof(AllCommands))]
    public void Table_ChartsOnlyOnATerminal_AndNotWithNoChart(string[] command)
    {
        var redirected = Run(false, command).Out;
        var terminal = Run(true, command).Out;
        var noChart = Run(true, [.. command, "--no-chart"]).Out;

        Assert.That(redirected, Does.Not.Contain("█"), "redirected output never holds a chart");
        Assert.That(noChart, Does.Not.Contain("█"));
        Assert.That(terminal, Does.Contain("█").Or.Contain("▁"), "a chart or a sparkline below or in the table");
    }

    [Test]
    public void Trend_DefaultsTo24MonthsEndingWithTheAsOfMonth()
    {
        var rows = JsonDocument.Parse(Run(false, "stats", "trend", "--format", "json").Out).RootElement;
        Assert.That(rows.GetArrayLength(), Is.EqualTo(24));
        Assert.That(rows[0].GetProperty("month").GetString(), Is.EqualTo("2024-12"));
        Assert.That(rows[23].GetProperty("month").GetString(), Is.EqualTo("2026-11"));
        Assert.That(rows.EnumerateArray().Sum(r => r.GetProperty("newInstallations").GetInt64()), Is.GreaterThan(5));
    }

    [TestCase("--from", "2026-13", "--from must be a month")]
    [TestCase("--to", "2026/10", "--to must be a month")]
    [TestCase("--to", "2027-01", "after the as-of date")]
    public void Trend_BadMonths_AreNamed(string option, string value, string message)
    {
        var (exit, _, error) = Run(false, "stats", "trend", option, value, "--as-of", "2026-11-15");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void Trend_FromAfterTo_IsRefused()
    {
        var (exit, _, error) = Run(false, "stats", "trend", "--from", "2026-10", "--to", "2026-01");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("is after --to"));
    }

    [Test]
    public void VersionsCumulative_AtLeastIsEachVersionAndEveryLaterOne()
    {
        var rows = JsonDocument.Parse(Run(false, "stats", "versions", "--of", "confluence", "--cumulative", "--format", "json").Out).RootElement
            .EnumerateArray()
            .Where(r => r.GetProperty("atLeast").ValueKind == JsonValueKind.Number)
            .Select(r => (Instances: r.GetProperty("instances").GetInt64(), AtLeast: r.GetProperty("atLeast").GetInt64()))
            .ToList();

        Assert.That(rows, Has.Count.GreaterThan(2));
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.That(rows[i].AtLeast, Is.EqualTo(rows.Skip(i).Sum(r => r.Instances)), $"row {i}: this version and every later one");
        }
    }

    [Test]
    public void Table_ShowsThousandsSeparatorsAndPercentages_AndExplainsHiddenFigures()
    {
        var summary = Run(false, "stats", "summary").Out;
        Assert.That(summary, Does.Match(@"\d,\d{3}"), "users with a thousands separator");
        var shared = Run(false, "stats", "versions", "--shareable").Out;
        Assert.That(shared, Does.Contain("%").And.Contain("<5").And.Contain("fewer than 5 instances"));
    }

    private static IEnumerable<JsonElement> Values(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Values),
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Values(p.Value)),
        _ => [e],
    };

    private (int Exit, string Out, string Error) Run(bool terminal, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            OutIsTerminal = terminal,
            ErrorIsTerminal = false,
            Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)),
        };
        var exit = TelemetryApp.Run([.. args, "--db", store.DatabasePath], context);
        return (exit, output.ToString(), error.ToString());
    }
}
