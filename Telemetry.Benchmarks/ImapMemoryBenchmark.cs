using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Benchmarks;

/// <summary>
/// Peak memory of <c>telemetry run --once</c> (a separate process, measured by /usr/bin/time) on a backlog of N
/// messages in a real Dovecot: it must stay flat as the backlog grows.
/// </summary>
internal static class ImapMemoryBenchmark
{
    public static int Run(string[] args)
    {
        var count = Harness.Option(args, "--messages", 100_000);
        using var server = new DovecotServer(DovecotMailStore.Mdbox);
        var appended = Stopwatch.StartNew();
        foreach (var chunk in Harness.Messages(count).Chunk(5_000))
        {
            server.AppendMany("Backlog", chunk);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"appended {count:N0} messages in {appended.Elapsed.TotalSeconds:F0} s"));
        var dir = Directory.CreateTempSubdirectory("telemetry-memory-");
        var config = Path.Combine(dir.FullName, "settings.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            Telemetry = new
            {
                Database = Path.Combine(dir.FullName, "t.db"),
                Mailbox = new
                {
                    Kind = "Imap",
                    Imap = new { server.Host, Port = server.ImapsPort, CertificateThumbprint = server.CertificateSha256, server.Username, server.Password, Folder = "Backlog" },
                },
            },
        }));
        var telemetry = Path.Combine(AppContext.BaseDirectory, "telemetry.dll");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/time", ["-f", "peak-rss-kb %M", "dotnet", telemetry, "run", "--once", "--config", config, "--format", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var peak = error.Result.Split('\n').Last(l => l.StartsWith("peak-rss-kb", StringComparison.Ordinal)).Split(' ')[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} messages: telemetry run --once took {watch.Elapsed.TotalSeconds:F1} s ({count / watch.Elapsed.TotalSeconds:N0} msg/s), peak RSS {long.Parse(peak, CultureInfo.InvariantCulture) / 1024:N0} MiB, on {Harness.Machine()}"));
        Console.WriteLine(output.ReplaceLineEndings(" "));
        dir.Delete(recursive: true);
        return process.ExitCode;
    }
}
