using System.Diagnostics;

namespace Telemetry.Testing;

/// <summary>Runs the system tools the integration servers need.</summary>
internal static class ExternalCommand
{
    private static readonly string[] SystemFolders = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The full path of a program on PATH or in the usual system folders (sbin is often missing from PATH), or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemFolders)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs a program that exits by itself and returns its standard output and error.
    /// Throws with that output when it exits with another code than 0 or runs longer than the timeout (it is then killed).
    /// Do not use it for a program that daemonizes: the daemon keeps the output pipes open.
    /// </summary>
    public static string Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(fileName));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{commandLine} did not finish within {timeout.TotalSeconds:0.#} s");
        }

        Task.WaitAll(stdout, stderr);
        var output = (stdout.Result + stderr.Result).Trim();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine} exited with code {process.ExitCode}: {output}");
        }

        return output;
    }
}
