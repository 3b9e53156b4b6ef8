using System.Diagnostics;
using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Core.Configuration;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Testing;

namespace Telemetry.Benchmarks;

/// <summary>
/// A backlog in a real Dovecot (mdbox, TLS on loopback): the receiver end to end (fetch, parse, store, commit,
/// move) against raw MailKit batched UID FETCH + UID MOVE of the same messages, side by side, several runs.
/// </summary>
internal static class ImapBenchmark
{
    public static int Run(string[] args)
    {
        var count = Harness.Option(args, "--messages", 10_000);
        var runs = Harness.Option(args, "--runs", 3);
        var messages = Harness.Messages(count);
        using var server = new DovecotServer(DovecotMailStore.Mdbox);
        var raw = new List<double>();
        var ours = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            server.AppendMany($"Raw{run}", messages);
            server.AppendMany($"Ours{run}", messages);
            raw.Add(RawMailKit(server, $"Raw{run}", $"RawDone{run}"));
            ours.Add(Receiver(server, $"Ours{run}", run));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: raw {count / raw[^1]:N0} msg/s, receiver {count / ours[^1]:N0} msg/s"));
        }

        var r = Harness.Median(raw);
        var o = Harness.Median(ours);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} messages, median of {runs} runs on {Harness.Machine()}: raw MailKit fetch+move {r:F2} s ({count / r:N0} msg/s); receiver end to end {o:F2} s ({count / o:N0} msg/s); receiver/raw time ratio {o / r:F2}"));
        return 0;
    }

    private static double RawMailKit(DovecotServer server, string folder, string done)
    {
        var watch = Stopwatch.StartNew();
        // Validated like the receiver does: the pinned thumbprint of the test server's certificate.
        using var client = new ImapClient
        {
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                && Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData())) == server.CertificateSha256,
        };
        client.Connect(server.Host, server.ImapsPort, SecureSocketOptions.SslOnConnect);
        client.Authenticate(server.Username, server.Password);
        var source = (ImapFolder)client.GetFolder(folder);
        source.Open(FolderAccess.ReadWrite);
        var target = client.GetFolder(client.PersonalNamespaces[0]).Create(done, true)!;
        var uids = source.Search(SearchQuery.All);
        long bytes = 0;
        foreach (var batch in uids.Chunk(500))
        {
            source.GetStreams(batch, (_, _, _, stream) =>
            {
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                bytes += memory.Length;
            });
            source.MoveTo(batch, target);
        }

        client.Disconnect(true);
        return watch.Elapsed.TotalSeconds;
    }

    private static double Receiver(DovecotServer server, string folder, int run)
    {
        var database = Path.Combine(Path.GetTempPath(), $"telemetry-bench-{Guid.NewGuid():N}.db");
        var options = new ImapOptions
        {
            Host = server.Host,
            Port = server.ImapsPort,
            CertificateThumbprint = server.CertificateSha256,
            Username = server.Username,
            Password = server.Password,
            Folder = folder,
        };
        var folders = new MailboxFolders
        {
            Processed = $"Out{run}/Processed",
            Invalid = $"Out{run}/Invalid",
            Unsupported = $"Out{run}/Unsupported",
            Ignored = $"Out{run}/Ignored",
            Failed = $"Out{run}/Failed",
        };
        try
        {
            var watch = Stopwatch.StartNew();
            using var mailbox = new ImapMailbox(options, folders, new PasswordAuthenticator(server.Username, server.Password), TimeSpan.FromMinutes(9), NullLogger.Instance);
            using var connection = TelemetryDatabase.Open(database);
            var cycle = new MailboxProcessor(new Ingestor(connection, new ReportExtractor(ExtractionLimits.Default), TimeProvider.System) { Prefetch = mailbox.ReadsAheadWhileFiling }, mailbox, TimeProvider.System, NullLogger.Instance)
                .RunOnce(ExtractionLimits.DefaultMaxMessageBytes, null, CancellationToken.None);
            var seconds = watch.Elapsed.TotalSeconds;
            if (server.Count(folder) != 0 || cycle.Summary.Messages == 0)
            {
                throw new InvalidOperationException("The receiver did not empty the folder.");
            }

            return seconds;
        }
        finally
        {
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileNameWithoutExtension(database) + ".*"))
            {
                File.Delete(f);
            }
        }
    }
}
