using System.Diagnostics;
using System.Globalization;

using MimeKit;

using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Core.Storage;

namespace Telemetry.Benchmarks;

/// <summary>
/// Parsing and ingestion from files, side by side with their references, on the same generated messages:
/// our extraction against plain <c>MimeMessage.Load</c> of the same bytes; ingestion end to end (read, hash, parse,
/// validate, store, commit) from a Maildir and from an mbox into a new database, against a straightforward Python
/// script (reference/ingest_reference.py) over the same Maildir.
/// </summary>
internal static class FilesBenchmark
{
    public static int Run(string[] args)
    {
        var count = Harness.Option(args, "--messages", 20_000);
        var runs = Harness.Option(args, "--runs", 3);
        var only = Harness.Text(args, "--only");
        if (only is not null and not "parse")
        {
            Console.Error.WriteLine($"--only {only}: the only part that can be run alone is parse");
            return 2;
        }

        var parseOnly = only == "parse";
        var root = Path.Combine(Path.GetTempPath(), $"telemetry-bench-files-{count}");
        var maildir = Path.Combine(root, "maildir");
        var mbox = Path.Combine(root, "mbox");
        var messages = parseOnly ? Harness.Messages(count) : Prepare(count, maildir, mbox);
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "ingest_reference.py");
        var totalBytes = messages.Sum(m => (long)m.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} messages, {totalBytes / 1024.0 / 1024:N1} MiB, {Harness.Machine()}"));

        var results = new Dictionary<string, List<double>>();
        void Add(string name, double seconds)
        {
            if (!results.TryGetValue(name, out var list))
            {
                results[name] = list = [];
            }

            list.Add(seconds);
        }

        void Load()
        {
            foreach (var m in messages)
            {
                using var stream = new MemoryStream(m, writable: false);
                MimeMessage.Load(stream).Dispose();
            }
        }

        void Extract(ReportExtractor extractor)
        {
            foreach (var m in messages)
            {
                extractor.Extract(m);
            }
        }

        // The first runs would still be compiling and tuning (tiered compilation takes about three passes here to
        // settle): untimed passes first, and one untimed ingestion.
        for (var pass = 0; pass < 4; pass++)
        {
            Load();
            Extract(new ReportExtractor(ExtractionLimits.Default));
        }

        if (!parseOnly)
        {
            Ingest(Path.Combine(root, "warm-up.db"), maildir);
        }

        for (var run = 1; run <= runs; run++)
        {
            Add("MimeMessage.Load", Time(Load));
            var extractor = new ReportExtractor(ExtractionLimits.Default);
            Add("extraction", Time(() => Extract(extractor)));
            if (!parseOnly)
            {
                Add("ingest Maildir", Ingest(Path.Combine(root, $"maildir-{run}.db"), maildir));
                Add("ingest mbox", Ingest(Path.Combine(root, $"mbox-{run}.db"), mbox));
                Add("Python reference, Maildir", Python(script, maildir, Path.Combine(root, $"python-{run}.db")));
            }

            Console.WriteLine($"run {run}: " + string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {count / r.Value[^1]:N0} msg/s"))));
        }

        var median = results.ToDictionary(r => r.Key, r => Harness.Median(r.Value));
        string Rate(string name) => (count / median[name]).ToString("N0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"| measure | msg/s (median of {runs}) | ratio |");
        Console.WriteLine("| --- | ---: | --- |");
        Console.WriteLine($"| raw `MimeMessage.Load` | {Rate("MimeMessage.Load")} | reference |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| extraction and validation | {Rate("extraction")} | {median["MimeMessage.Load"] / median["extraction"]:P0} of raw MimeKit (target ≥ 40 %) |"));
        if (parseOnly)
        {
            return 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ingest from a Maildir | {Rate("ingest Maildir")} | {median["Python reference, Maildir"] / median["ingest Maildir"]:N1}× the Python script (target ≥ 30×, and ≥ 10,000 msg/s) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ingest from an mbox | {Rate("ingest mbox")} | {median["Python reference, Maildir"] / median["ingest mbox"]:N1}× the Python script |"));
        Console.WriteLine($"| Python script (email + json + sqlite3), Maildir | {Rate("Python reference, Maildir")} | reference |");
        return 0;
    }

    private static List<byte[]> Prepare(int count, string maildir, string mbox)
    {
        var messages = Harness.Messages(count);
        if (!Directory.Exists(maildir) || !File.Exists(mbox))
        {
            Directory.CreateDirectory(Path.Combine(maildir, "cur"));
            Directory.CreateDirectory(Path.Combine(maildir, "new"));
            Directory.CreateDirectory(Path.Combine(maildir, "tmp"));
            for (var i = 0; i < messages.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(maildir, "cur", string.Create(CultureInfo.InvariantCulture, $"{1_700_000_000 + i}.M{i}.bench:2,S")), messages[i]);
            }

            CorpusWriter.WriteMbox(mbox, messages.Select((m, i) => new GeneratedMessage($"m{i}", m, [])));
        }

        return messages;
    }

    private static double Ingest(string database, string path)
    {
        foreach (var f in new[] { database, database + "-wal", database + "-shm", Path.ChangeExtension(database, ".key") })
        {
            File.Delete(f);
        }

        using var connection = TelemetryDatabase.Open(database, create: true, Path.ChangeExtension(database, ".key"));
        var ingestor = new Ingestor(connection, new ReportExtractor(ExtractionLimits.Default), TimeProvider.System) { Prefetch = true, BatchSize = Ingestor.FilesBatchSize };
        var source = new FileMessageSource(path, ExtractionLimits.DefaultMaxMessageBytes);
        return Time(() => ingestor.Ingest(source.Read()));
    }

    private static double Python(string script, string maildir, string database)
    {
        foreach (var f in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(f);
        }

        return Time(() =>
        {
            using var process = Process.Start(new ProcessStartInfo("python3", [script, maildir, database]) { RedirectStandardOutput = true })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}");
            }
        });
    }

    private static double Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalSeconds;
    }
}
