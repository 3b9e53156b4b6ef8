using Telemetry.Benchmarks;

return args.FirstOrDefault() switch
{
    "imap" => ImapBenchmark.Run(args.Skip(1).ToArray()),
    "imap-memory" => ImapMemoryBenchmark.Run(args.Skip(1).ToArray()),
    "files" => FilesBenchmark.Run(args.Skip(1).ToArray()),
    "mbox-memory" => MboxMemoryBenchmark.Run(args.Skip(1).ToArray()),
    "stats" => StatsBenchmark.Run(args.Skip(1).ToArray()),
    "store" => StoreBenchmark.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project Telemetry.Benchmarks -- imap [--messages N] [--runs R]
               dotnet run -c Release --project Telemetry.Benchmarks -- imap-memory [--messages N]
               dotnet run -c Release --project Telemetry.Benchmarks -- files [--messages N] [--runs R] [--only parse]
               dotnet run -c Release --project Telemetry.Benchmarks -- store [--messages N] [--runs R] [--batch B]
               dotnet run -c Release --project Telemetry.Benchmarks -- mbox-memory [--messages 10000,50000,100000]
               dotnet run -c Release --project Telemetry.Benchmarks -- stats [--reports 1000000|100000] [--runs R] [--db PATH]
                   [--instances N] [--months M] [--pragma "cache_size=-262144"]
        imap and imap-memory start a private Dovecot on loopback (root, Debian's dovecot-imapd), so run them where the
        tests run. files writes its messages once under the temporary folder; with --only parse it times
        MimeMessage.Load and the extraction alone, in memory after four untimed passes, without the ingestion and the
        Python script. stats builds its database once under /var/tmp/telemetry-bench (keyed by its parameters) and
        reuses it.
        """);
    return 2;
}
