using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Configuration;
using Telemetry.Core.Mailbox;
using Telemetry.Receiver.Cli;
using Telemetry.Receiver.Service;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Service;

/// <summary>The service loop on a local Maildir: passes, new mail noticed within seconds, status, dry run.</summary>
[NonParallelizable]
public sealed class ReceiverServiceTests
{
    private static byte[] Report(int i) => TestMail.WithJson(TestMail.Json($"SERV-ICE0-TEST-{i:0000}", "install", "2026-11-01T00:00:00Z"));

    private static string NewMaildir(TempDirectory dir, int messages)
    {
        var root = Path.Combine(dir.Path, "Maildir");
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        for (var i = 0; i < messages; i++)
        {
            File.WriteAllBytes(Path.Combine(root, "new", $"m{i}"), Report(i));
        }

        return root;
    }

    private static (int Exit, string Out, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = TelemetryApp.Run(args, new CliContext { Out = output, Error = error, OutIsTerminal = false, ErrorIsTerminal = false });
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Service_ProcessesWhatWaits_ThenNoticesNewMailWithinSeconds()
    {
        using var dir = new TempDirectory();
        var root = NewMaildir(dir, 3);
        var options = new TelemetryOptions
        {
            Database = dir.File("t.db"),
            Mailbox = new MailboxOptions { Kind = MailboxKind.Maildir, Path = root, PollInterval = TimeSpan.FromMinutes(10) },
        };
        using var service = new ReceiverService(options, MailboxFactory.Create(options, TimeProvider.System, NullLoggerFactory.Instance), TimeProvider.System, NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntil(() => Directory.GetFiles(Path.Combine(root, "new")).Length == 0, TimeSpan.FromSeconds(20));
            File.WriteAllBytes(Path.Combine(root, "tmp", "late"), Report(99));
            File.Move(Path.Combine(root, "tmp", "late"), Path.Combine(root, "new", "late"));
            var noticed = System.Diagnostics.Stopwatch.StartNew();
            await WaitUntil(() => Directory.GetFiles(Path.Combine(root, ".Telemetry.Processed", "cur")).Length == 4, TimeSpan.FromSeconds(20));
            Assert.That(noticed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "well before the 10-minute safety-net pass");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        var status = Cli("status", "--db", options.Database, "--format", "json");
        Assert.That(status.Exit, Is.Zero);
        Assert.That(status.Out, Does.Contain("\"accepted\": 4").Or.Contain("\"accepted\":4"));
    }

    [Test]
    public void RunOnce_FilesEverythingAndExitsZero()
    {
        using var dir = new TempDirectory();
        var root = NewMaildir(dir, 5);
        var (exit, output, _) = Cli("run", "--once", "--set", "Telemetry:Mailbox:Path=" + root, "--db", dir.File("t.db"), "--format", "json");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("\"accepted\": 5"));
        Assert.That(Directory.GetFiles(Path.Combine(root, ".Telemetry.Processed", "cur")), Has.Length.EqualTo(5));
    }

    [Test]
    public void DryRun_PrintsEachOutcome_AndWritesNothingAnywhere()
    {
        using var dir = new TempDirectory();
        var root = NewMaildir(dir, 2);
        Cli("run", "--once", "--set", "Telemetry:Mailbox:Path=" + root, "--db", dir.File("t.db"));
        File.WriteAllBytes(Path.Combine(root, "new", "fresh"), Report(50));
        File.WriteAllBytes(Path.Combine(root, "new", "again"), Report(0));
        string Fingerprint() => string.Join('\n', Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Order()
            .Select(f => f + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
        var before = Fingerprint();

        var (exit, output, _) = Cli("run", "--dry-run", "--set", "Telemetry:Mailbox:Path=" + root, "--db", dir.File("t.db"), "--format", "csv");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("fresh,accepted,Telemetry/Processed"));
        Assert.That(output, Does.Contain("again,duplicate,Telemetry/Processed"));
        Assert.That(Fingerprint(), Is.EqualTo(before), "neither the mailbox nor the database changed");
    }

    [Test]
    public void Backoff_GrowsToFiveMinutesAndStaysThere()
    {
        Assert.That(ReceiverService.Backoff(1), Is.InRange(TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4)));
        Assert.That(ReceiverService.Backoff(5), Is.InRange(TimeSpan.FromSeconds(25.6), TimeSpan.FromSeconds(38.4)));
        Assert.That(ReceiverService.Backoff(50), Is.InRange(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6)));
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }
    }
}
