using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Telemetry.Core.Samples;
using Telemetry.Testing;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Integration;

/// <summary>
/// The service killed with SIGKILL at random moments, many times, while it ingests a few thousand messages from a
/// real Dovecot; then it is let finish. Nothing may be lost and nothing doubled.
/// </summary>
[NonParallelizable]
public sealed class SigkillTests
{
    private const int Kills = 15;

    [Test]
    public void KilledAtRandomMoments_ThenFinished_StoresEveryReportOnce_AndFilesEveryMessageOnce()
    {
        using var server = new DovecotServer(DovecotMailStore.Mdbox);
        using var dir = new TempDirectory();
        var corpus = new CorpusGenerator(new CorpusOptions { Instances = 200, Months = 12, Seed = 99, OptOutRate = 0.1 }).Generate();
        server.AppendMany("Kill", corpus.Messages.Select(m => m.Content));

        var config = dir.File("settings.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            Telemetry = new
            {
                Database = dir.File("t.db"),
                Mailbox = new
                {
                    Kind = "Imap",
                    Imap = new { Host = server.Host, Port = server.ImapsPort, CertificateThumbprint = server.CertificateSha256, Username = server.Username, Password = server.Password, Folder = "Kill" },
                    Folders = new { Processed = "K/Processed", Invalid = "K/Invalid", Unsupported = "K/Unsupported", Ignored = "K/Ignored", Failed = "K/Failed" },
                },
            },
        }));
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "telemetry.dll");
        var random = new Random(12345);
        var killed = 0;
        for (var i = 0; i < Kills; i++)
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "run", "--config", config])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Thread.Sleep(random.Next(350, 1500));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                killed++;
            }

            process.WaitForExit();
        }

        TestContext.Out.WriteLine($"{killed} kills; {server.Count("Kill")} of {corpus.Messages.Count} messages still waiting before the last run");
        using (var last = Process.Start(new ProcessStartInfo("dotnet", [dll, "run", "--once", "--config", config]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            var error = last.StandardError.ReadToEndAsync();
            last.StandardOutput.ReadToEnd();
            last.WaitForExit();
            Assert.That(last.ExitCode, Is.Zero, error.Result);
        }

        Assert.That(killed, Is.GreaterThanOrEqualTo(10), "most runs were killed mid-way");
        using var connection = Core.Storage.TelemetryDatabase.Open(dir.File("t.db"));
        var stored = connection.Query<string>("SELECT report_key FROM reports").Order(StringComparer.Ordinal).ToList();
        var expected = corpus.AcceptedReports.Select(r => r.Identity.Key).Order(StringComparer.Ordinal).ToList();
        Assert.That(stored, Is.EqualTo(expected), "every report stored exactly once");
        Assert.That(server.Count("Kill"), Is.Zero, "nothing left waiting");

        // Every message is in at most one place, and a message may only have left the mailbox when none of its
        // reports is kept (an opt-out dropped or erased them all): nothing doubled, nothing lost.
        static string Id(byte[] raw)
        {
            using var stream = new MemoryStream(raw);
            return MimeKit.MimeMessage.Load(stream).MessageId ?? string.Empty;
        }

        var filed = server.Folders().Where(f => f.StartsWith("K/", StringComparison.Ordinal) || f.StartsWith("K.", StringComparison.Ordinal))
            .SelectMany(f => server.ReadAll(f)).Select(Id).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var sent = corpus.Messages.GroupBy(m => Id(m.Content)).ToDictionary(g => g.Key, g => g.ToList());
        var kept = corpus.AcceptedReports.Select(r => r.Identity.Key).ToHashSet();
        var vanished = 0;
        foreach (var (id, copies) in sent)
        {
            var inFolders = filed.GetValueOrDefault(id);
            Assert.That(inFolders, Is.LessThanOrEqualTo(copies.Count), $"message {id} doubled");
            if (inFolders < copies.Count)
            {
                vanished += copies.Count - inFolders;
                Assert.That(copies[0].Expected.All(e => e.Report is not null && !kept.Contains(e.Report.Identity.Key)), Is.True, $"message {id} left the mailbox although a report of it is kept");
            }
        }

        Assert.That(filed.Keys.Except(sent.Keys), Is.Empty, "nothing in the folders that was not sent");
        TestContext.Out.WriteLine($"{vanished} messages deleted as fully opted out");
    }
}
