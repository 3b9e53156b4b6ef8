using Telemetry.Benchmarks;

return args.FirstOrDefault() switch
{
    "imap" => ImapBenchmark.Run(args.Skip(1).ToArray()),
    "imap-memory" => ImapMemoryBenchmark.Run(args.Skip(1).ToArray()),
    "files" => FilesBenchmark.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project Telemetry.Benchmarks -- imap [--messages N] [--runs R]
               dotnet run -c Release --project Telemetry.Benchmarks -- imap-memory [--messages N]
               dotnet run -c Release --project Telemetry.Benchmarks -- files [--messages N] [--runs R]
        Starts a private Dovecot on loopback (root, Debian's dovecot-imapd), so run it where the tests run.
        """);
    return 2;
}
