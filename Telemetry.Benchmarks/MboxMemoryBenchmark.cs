using System.Diagnostics;
using System.Globalization;

using Telemetry.Core.Samples;

namespace Telemetry.Benchmarks;

/// <summary>
/// Peak memory of <c>telemetry ingest FILE.mbox</c> (a separate process, measured by /usr/bin/time) on mbox files of
/// growing size: it must stay flat as the input grows. The mbox files are generated once under the temporary folder.
/// </summary>
internal static class MboxMemoryBenchmark
{
    public static int Run(string[] args)
    {
        var sizes = (Harness.Text(args, "--messages") ?? "10000,50000,100000")
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var telemetry = Path.Combine(AppContext.BaseDirectory, "telemetry.dll");
        Console.WriteLine($"telemetry ingest FILE.mbox into a new database, on {Harness.Machine()}");
        Console.WriteLine("| messages | mbox size | time | rate | peak RSS |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        var exit = 0;
        foreach (var count in sizes)
        {
            var mbox = Path.Combine(Path.GetTempPath(), $"telemetry-bench-mbox-{count}.mbox");
            if (!File.Exists(mbox))
            {
                CorpusWriter.WriteMbox(mbox + ".tmp", Harness.Messages(count).Select((m, i) => new GeneratedMessage($"m{i}", m, [])));
                File.Move(mbox + ".tmp", mbox, overwrite: true);
            }

            var dir = Directory.CreateTempSubdirectory("telemetry-mbox-memory-");
            try
            {
                var watch = Stopwatch.StartNew();
                using var process = Process.Start(new ProcessStartInfo(
                    "/usr/bin/time",
                    ["-f", "peak-rss-kb %M", "dotnet", telemetry, "ingest", mbox, "--db", Path.Combine(dir.FullName, "t.db"), "--format", "json"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                var error = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                var seconds = watch.Elapsed.TotalSeconds;
                var peak = long.Parse(error.Result.Split('\n').Last(l => l.StartsWith("peak-rss-kb", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {count:N0} | {new FileInfo(mbox).Length / 1024.0 / 1024:N0} MiB | {seconds:F1} s | {count / seconds:N0} msg/s | {peak / 1024.0:N0} MiB |"));
                exit |= process.ExitCode;
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        }

        return exit;
    }
}
