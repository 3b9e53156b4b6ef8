using System.Diagnostics;
using System.Globalization;

using SharpFuzz;

using Telemetry.Fuzz;

// Usage:
//   Telemetry.Fuzz TARGET                              under afl-fuzz (input on standard input)
//   Telemetry.Fuzz replay TARGET [--slow-ms N] PATH... runs saved inputs once each, without AFL
//   Telemetry.Fuzz seed TARGET OUTDIR MAXBYTES PATH... writes the starting inputs from sample mail
return args switch
{
    ["replay", var target, .. var rest] when Targets.Find(target) is { } action => Replay(action, rest),
    ["seed", var target, var output, var max, .. var sources] when Targets.Find(target) is not null
        && int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var maxBytes) && sources.Length > 0
        => Seeds.Run(target, output, maxBytes, sources),
    [var target] when Targets.Find(target) is { } action => Fuzz(action),
    _ => Usage(),
};

static int Fuzz(Action<byte[]> action)
{
    // Out of process: the code runs in a child process that SharpFuzz restarts when it dies, so a stack
    // overflow or a crash of the runtime is reported to afl-fuzz as a crash instead of ending the run.
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        action(buffer.ToArray());
    });
    return 0;
}

static int Replay(Action<byte[]> action, string[] args)
{
    var slowMs = long.MaxValue;
    var paths = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--slow-ms" && i + 1 < args.Length)
        {
            slowMs = long.Parse(args[++i], CultureInfo.InvariantCulture);
        }
        else
        {
            paths.Add(args[i]);
        }
    }

    var files = paths
        .SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p])
        .Where(f => !Path.GetFileName(f).Equals("README.txt", StringComparison.Ordinal))
        .ToList();
    var failed = 0;
    var signatures = new Dictionary<string, List<string>>(StringComparer.Ordinal);
    foreach (var file in files)
    {
        var input = File.ReadAllBytes(file);
        var clock = Stopwatch.StartNew();
        try
        {
            action(input);
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"CRASH {file}: {e.GetType().FullName}: {e.Message}");
            Console.WriteLine(e.StackTrace);
            var signature = $"{e.GetType().FullName} at {OwnFrame(e)}";
            if (!signatures.TryGetValue(signature, out var list))
            {
                signatures[signature] = list = [];
            }

            list.Add(file);
            continue;
        }

        if (clock.ElapsedMilliseconds > slowMs)
        {
            failed++;
            Console.WriteLine($"SLOW {file}: {clock.ElapsedMilliseconds} ms (over {slowMs} ms)");
            continue;
        }

        Console.WriteLine($"ok {file} ({clock.ElapsedMilliseconds} ms)");
    }

    Console.WriteLine($"replayed {files.Count} inputs: {failed} failed");
    foreach (var (signature, list) in signatures.OrderByDescending(s => s.Value.Count))
    {
        Console.WriteLine($"distinct crash: {signature} ({list.Count} inputs, e.g. {list[0]})");
    }

    return failed == 0 ? 0 : 1;
}

// The innermost frame in the project's own code: where the exception escaped from, for grouping crashes.
static string OwnFrame(Exception e)
{
    var frames = new StackTrace(e, fNeedFileInfo: false).GetFrames();
    var own = frames.FirstOrDefault(f => f.GetMethod()?.DeclaringType?.FullName?.StartsWith("Telemetry.Core", StringComparison.Ordinal) == true)
        ?? frames.FirstOrDefault();
    var method = own?.GetMethod();
    return method is null ? "?" : $"{method.DeclaringType?.FullName}.{method.Name}";
}

static int Usage()
{
    Console.Error.WriteLine($"""
        usage: Telemetry.Fuzz TARGET                               (under afl-fuzz; see fuzz/run.sh)
               Telemetry.Fuzz replay TARGET [--slow-ms N] PATH...  (runs saved inputs once each)
               Telemetry.Fuzz seed TARGET OUTDIR MAXBYTES PATH...  (starting inputs from sample mail)
        targets: {string.Join(", ", Targets.Names)}
        """);
    return 2;
}
