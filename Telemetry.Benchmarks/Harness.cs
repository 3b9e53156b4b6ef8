using System.Globalization;
using Telemetry.Core.Samples;

namespace Telemetry.Benchmarks;

internal static class Harness
{
    public static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>N generated messages (realistic mix: both formats, gzip, noise, duplicates), as sent.</summary>
    public static List<byte[]> Messages(int count)
    {
        // About 10 messages per instance over 12 months; generate enough, then take exactly N.
        var instances = Math.Max(1, count / 9);
        var messages = new CorpusGenerator(new CorpusOptions { Instances = instances, Months = 12, Seed = 7 }).Stream().Select(m => m.Content).Take(count).ToList();
        if (messages.Count < count)
        {
            throw new InvalidOperationException($"The generator made {messages.Count} messages, fewer than {count}.");
        }

        return messages;
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
