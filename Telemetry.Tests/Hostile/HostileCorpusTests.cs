using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Hostile;

/// <summary>
/// The hostile corpus (<see cref="HostileCorpus"/>, 1.6 GB written to a temporary folder) ingested as
/// <c>telemetry ingest</c> does, each hostile message between two valid ones: each gets its outcome and the limit it
/// broke, within 2 seconds and 200 MB, and the valid message after it is accepted. Memory is the peak resident set of
/// <c>telemetry ingest</c> run as its own process on the hostile message alone (GNU time), over the same command on a
/// valid message. The times are guards against hangs and runaway work on the test machine, not benchmarks
/// (docs/benchmarks.md, "Hostile mail", has the measured figures).
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostileCorpusTests
{
    /// <summary>The corpus takes 1.6 GB; the rest is the databases and a margin.</summary>
    private const long DiskNeeded = 2L * 1024 * 1024 * 1024;

    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);

    private const long MemoryLimit = 200L * 1000 * 1000;

    private const string GnuTime = "/usr/bin/time";

    /// <summary>
    /// Reports read from the charset cases: the block of each of the five parts (one report, then four duplicates);
    /// the blocks of the UTF-8 and ISO-2022-JP parts (the UTF-16 part holds no block once decoded as UTF-16).
    /// </summary>
    private static readonly Dictionary<string, int> ItemCounts = new()
    {
        ["invalid-charset-unknown"] = 5,
        ["invalid-charset-bytes"] = 2,
    };

    /// <summary>What each case must come to: its outcome and words of its reason (null: an accepted report has none).</summary>
    private static readonly Dictionary<string, (string Outcome, string? Reason)> Expected = new()
    {
        ["deep-nesting"] = ("invalid", "the message nests parts more than 10 levels deep (limit MaxDepth)"),
        ["many-parts"] = ("invalid", "the message has more than 500 MIME parts (limit MaxParts)"),
        ["huge-header"] = ("invalid", "a header of the message is over 256 KiB (limit MaxHeaderBytes)"),

        // Refused from its size before anything is parsed: the attachment limit is never reached.
        ["base64-1gb"] = ("invalid", "over the limit of 25 MiB per message (limit MaxMessageBytes)"),
        ["gzip-bomb-10gb"] = ("invalid", "the gzip report inflates to more than 16 MiB (limit MaxAttachmentBytes)"),
        ["nested-rfc822-1000"] = ("invalid", "the message nests parts more than 10 levels deep (limit MaxDepth)"),

        // No limit is broken: the blocks are ASCII; MimeKit reads an unknown charset as UTF-8 and leaves out bytes
        // invalid in the declared one. Each block's own rules decide.
        ["invalid-charset-unknown"] = ("accepted", null),
        ["invalid-charset-bytes"] = ("accepted", null),

        // Truncation breaks no limit either: nothing left to find is not a report, a cut report is invalid by its own
        // rules (JSON, END line), and a whole report before a cut closing boundary is a whole report.
        ["truncated-header"] = ("not-a-report", "no report attachment or report block in the message"),
        ["truncated-boundary"] = ("accepted", null),
        ["truncated-base64"] = ("invalid", "the attachment is not valid JSON"),
        ["nul-bytes"] = ("invalid", "the attachment is not valid JSON ('0x00' is invalid"),
        ["single-line-50mb"] = ("invalid", "over the limit of 25 MiB per message (limit MaxMessageBytes)"),
    };

    private string root = string.Empty;
    private readonly Dictionary<string, Measured> measured = [];
    private readonly Dictionary<string, MessageResult> results = [];
    private long baselineRss;

    private sealed class Measured(string file, long size)
    {
        public string File { get; } = file;

        public long Size { get; } = size;

        /// <summary>From reading the message to being ready for the next, in process.</summary>
        public TimeSpan Wall { get; set; }

        /// <summary>The processor time of the test process over the same span.</summary>
        public TimeSpan Cpu { get; set; }

        /// <summary>Of <c>telemetry ingest</c> on the message alone.</summary>
        public long PeakRss { get; set; }

        /// <summary>What <c>telemetry ingest --format json</c> printed.</summary>
        public string Cli { get; set; } = "{}";
    }

    public static IEnumerable<TestCaseData> Cases() =>
        HostileCorpus.Cases.Select(c => new TestCaseData(c.Name).SetName("Hostile_" + c.Name));

    [OneTimeSetUp]
    public void SetUp()
    {
        var parent = Directory.Exists("/var/tmp") ? "/var/tmp" : Path.GetTempPath();
        var free = new DriveInfo(parent).AvailableFreeSpace;
        if (free < DiskNeeded)
        {
            Assert.Fail($"the hostile corpus needs {DiskNeeded / (1 << 20):N0} MiB free in {parent}; only {free / (1 << 20):N0} MiB are");
        }

        if (!File.Exists(GnuTime))
        {
            Assert.Fail($"the memory of each hostile message is measured with GNU time, {GnuTime} (Debian package 'time'; test.sh installs it)");
        }

        root = Path.Combine(parent, "telemetry-hostile-" + Guid.NewGuid().ToString("N"));
        try
        {
            GenerateIngestAndMeasure(Path.Combine(root, "mailbox"));
        }
        catch
        {
            RemoveTheCorpus();
            throw;
        }
    }

    private void GenerateIngestAndMeasure(string mailbox)
    {
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(mailbox);
        var valid = WriteValid(mailbox, 0);
        foreach (var (hostile, i) in HostileCorpus.Cases.Select((c, i) => (c, i + 1)))
        {
            var path = Path.Combine(mailbox, string.Create(CultureInfo.InvariantCulture, $"{i:D2}-1-{hostile.Name}.eml"));
            using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                hostile.Write(output);
            }

            measured[hostile.Name] = new Measured(path, new FileInfo(path).Length);
            WriteValid(mailbox, i);
        }

        var written = stopwatch.Elapsed;
        IngestInProcess(mailbox);
        var ingested = stopwatch.Elapsed;
        var template = Path.Combine(root, "template");
        baselineRss = RunCli(valid, template).PeakRss;
        Parallel.ForEach(measured.Values, new ParallelOptions { MaxDegreeOfParallelism = 2 }, m => (m.PeakRss, m.Cli) = RunCli(m.File, template));

        TestContext.Progress.WriteLine(Table());
        TestContext.Progress.WriteLine($"corpus written in {written.TotalSeconds:0.0} s, ingested in {(ingested - written).TotalSeconds:0.0} s, each message alone in its own process in {(stopwatch.Elapsed - ingested).TotalSeconds:0.0} s");
    }

    [OneTimeTearDown]
    public void RemoveTheCorpus()
    {
        if (root.Length > 0 && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void HostileMessage_GetsItsOutcomeAndReason_InTimeAndMemory(string name)
    {
        var (outcome, reason) = Expected[name];
        var m = measured[name];
        var result = results[m.File];
        var reasons = result.Items.Select(i => i.Reason).Where(r => r is not null).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome.ToWire(), Is.EqualTo(outcome), string.Join("; ", reasons));
            if (reason is not null)
            {
                Assert.That(reasons, Has.Some.Contains(reason));
            }

            if (ItemCounts.TryGetValue(name, out var count))
            {
                Assert.That(result.Items, Has.Count.EqualTo(count));
            }

            Assert.That(m.Wall, Is.LessThan(TimeLimit), "time to read and classify it");
            Assert.That(m.PeakRss - baselineRss, Is.LessThan(MemoryLimit), $"peak RSS {m.PeakRss / 1e6:0} MB over the {baselineRss / 1e6:0} MB of a valid message");
            using var cli = JsonDocument.Parse(m.Cli);
            Assert.That(cli.RootElement.GetProperty("messages").GetInt64(), Is.EqualTo(1), m.Cli);
            Assert.That(cli.RootElement.GetProperty(Outcomes.FromWire(outcome) == Outcome.NotReport ? "notReport" : outcome).GetInt64(), Is.GreaterThanOrEqualTo(1), m.Cli);
        });
    }

    [Test]
    public void EveryValidMessage_BeforeAndAfterEachHostileOne_IsAccepted()
    {
        var valid = results.Where(r => Path.GetFileName(r.Key).Contains("-2-valid", StringComparison.Ordinal)).ToList();
        Assert.That(valid, Has.Count.EqualTo(HostileCorpus.Cases.Count + 1));
        Assert.That(valid.Select(v => v.Value.Outcome), Has.All.EqualTo(Outcome.Accepted));
        Assert.That(results, Has.Count.EqualTo((2 * HostileCorpus.Cases.Count) + 1), "every message has exactly one outcome");
    }

    [Test]
    public void TheCorpusCoversEveryCase() =>
        Assert.That(Expected.Keys.Order(), Is.EqualTo(HostileCorpus.Cases.Select(c => c.Name).Order()));

    private static string WriteValid(string mailbox, int i)
    {
        var n = i.ToString("D4", CultureInfo.InvariantCulture);
        var json = TestMail.Json($"VALI-D000-0000-{n}", "install", "2026-11-01T02:00:00Z", reportId: $"aaaaaaaa-0000-4000-8000-00000000{n}");
        var path = Path.Combine(mailbox, $"{i:D2}-2-valid.eml");
        File.WriteAllBytes(path, TestMail.WithJson(json));
        return path;
    }

    /// <summary>The folder read as <c>telemetry ingest DIR</c> reads it, timing each message from its read to the next.</summary>
    private void IngestInProcess(string mailbox)
    {
        using var store = new TestStore();
        var source = new FileMessageSource(mailbox, ExtractionLimits.DefaultMaxMessageBytes);
        store.Ingestor.Ingest(Timed(source.Read()), batch =>
        {
            foreach (var result in batch)
            {
                results[result.Origin] = result;
            }
        });
    }

    private IEnumerable<RawMessage> Timed(IEnumerable<RawMessage> source)
    {
        using var messages = source.GetEnumerator();
        var process = Process.GetCurrentProcess();
        while (true)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            if (!messages.MoveNext())
            {
                yield break;
            }

            var message = messages.Current;
            yield return message;
            if (measured.Values.FirstOrDefault(m => m.File == message.Origin) is { } hostile)
            {
                hostile.Wall = wall.Elapsed;
                process.Refresh();
                hostile.Cpu = process.TotalProcessorTime - cpu;
            }
        }
    }

    /// <summary>Runs <c>telemetry ingest FILE --format json</c> as its own process under GNU time: its peak RSS in bytes, and what it printed.</summary>
    /// <remarks>
    /// The first run creates its database in <paramref name="template"/>; the others start from a copy of it (with
    /// its key file), which spares each the creation of the schema.
    /// </remarks>
    private (long PeakRss, string Json) RunCli(string file, string template)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "telemetry.dll");
        var run = Directory.Exists(template) ? Path.Combine(root, "run-" + Guid.NewGuid().ToString("N")) : template;
        Directory.CreateDirectory(run);
        if (run != template)
        {
            foreach (var name in new[] { "telemetry.db", "telemetry.key" })
            {
                File.Copy(Path.Combine(template, name), Path.Combine(run, name));
            }
        }

        var rss = Path.Combine(run, "rss");
        var start = new ProcessStartInfo(GnuTime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", "%M", "-o", rss, "dotnet", dll, "ingest", file, "--db", Path.Combine(run, "telemetry.db"), "--format", "json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var json = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"telemetry ingest {file} did not finish in 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"telemetry ingest {file} exited with {process.ExitCode}: {error.Result}");
        }

        return (long.Parse(File.ReadAllText(rss).Trim(), CultureInfo.InvariantCulture) * 1024, json);
    }

    /// <summary>The figures as a Markdown table, for docs/benchmarks.md.</summary>
    private string Table()
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"valid message alone: peak RSS {baselineRss / 1e6:0} MB");
        table.AppendLine("| case | size on disk | outcome | reason | time | CPU | peak RSS (over a valid message) |");
        table.AppendLine("| --- | ---: | --- | --- | ---: | ---: | ---: |");
        foreach (var hostile in HostileCorpus.Cases)
        {
            var m = measured[hostile.Name];
            var result = results[m.File];
            var reason = result.Outcome == Outcome.Accepted
                ? string.Join(", ", result.Items.GroupBy(i => i.Outcome).Select(g => $"{g.Count()} {g.Key.ToWire()}"))
                : string.Join("; ", result.Items.Select(i => i.Reason).Where(r => r is not null).Distinct()).Replace("|", "\\|", StringComparison.Ordinal);
            table.AppendLine(CultureInfo.InvariantCulture, $"| {hostile.Name} | {Size(m.Size)} | {result.Outcome.ToWire()} | {reason} | {m.Wall.TotalSeconds:0.00} s | {m.Cpu.TotalSeconds:0.00} s | {m.PeakRss / 1e6:0} MB ({(m.PeakRss - baselineRss) / 1e6:+0;-0;0}) |");
        }

        return table.ToString();
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 => $"{bytes / 1e9:0.00} GB",
        >= 1_000_000 => $"{bytes / 1e6:0.0} MB",
        >= 1_000 => $"{bytes / 1e3:0.0} kB",
        _ => $"{bytes} B",
    };
}
