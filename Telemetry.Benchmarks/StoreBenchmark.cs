using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Benchmarks;

/// <summary>
/// The storing side of ingestion alone: the messages are read and parsed before the clock starts, then the ingestor
/// decides, stores and commits them into a new database on one thread. This is the ceiling of ingestion's storing
/// thread, which runs beside the thread that reads and parses; by default in transactions of 2,000 messages, as
/// `telemetry ingest` stores files (`--batch 500` is the batch of a mailbox).
/// </summary>
internal static class StoreBenchmark
{
    public static int Run(string[] args)
    {
        var count = Harness.Option(args, "--messages", 20_000);
        var runs = Harness.Option(args, "--runs", 3);
        var messages = Harness.Messages(count)
            .Select((m, i) => new RawMessage($"m{i}", m, m.Length, MessageHasher.Hash(m)))
            .ToList();
        var extractor = new Parsed(new ReportExtractor(ExtractionLimits.Default), messages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} messages parsed ahead, {Harness.Machine()}"));
        var times = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var database = Path.Combine(Path.GetTempPath(), $"telemetry-bench-store-{run}.db");
            foreach (var f in new[] { database, database + "-wal", database + "-shm", Path.ChangeExtension(database, ".key") })
            {
                File.Delete(f);
            }

            using var connection = TelemetryDatabase.Open(database, create: true, Path.ChangeExtension(database, ".key"));
            var ingestor = new Ingestor(connection, extractor, TimeProvider.System) { BatchSize = Harness.Option(args, "--batch", Ingestor.FilesBatchSize) };
            if (Harness.Text(args, "--pragma") is { } pragma)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA " + pragma;
                command.ExecuteNonQuery();
            }

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            var summary = ingestor.Ingest(messages);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            times.Add(seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {count / seconds:N0} msg/s, {seconds * 1e6 / count:N0} µs and {cpuSeconds * 1e6 / count:N0} µs CPU per message ({summary.Accepted:N0} accepted)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {count / Harness.Median(times):N0} msg/s stored"));
        return 0;
    }

    /// <summary>Hands out what was found in each message, found before the clock started.</summary>
    private sealed class Parsed(ReportExtractor inner, IEnumerable<RawMessage> messages) : IReportExtractor
    {
        private readonly ConditionalWeakTable<byte[], IReadOnlyList<ExtractedItem>> _items = Build(inner, messages);

        public IReadOnlyList<ExtractedItem> Extract(ReadOnlyMemory<byte> raw) =>
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw, out var segment) && _items.TryGetValue(segment.Array!, out var items)
                ? items
                : inner.Extract(raw);

        public ExtractedItem TooLarge(long size) => inner.TooLarge(size);

        private static ConditionalWeakTable<byte[], IReadOnlyList<ExtractedItem>> Build(ReportExtractor inner, IEnumerable<RawMessage> messages)
        {
            var table = new ConditionalWeakTable<byte[], IReadOnlyList<ExtractedItem>>();
            foreach (var m in messages)
            {
                table.AddOrUpdate(m.Content!, inner.Extract(m.Content!));
            }

            return table;
        }
    }
}
