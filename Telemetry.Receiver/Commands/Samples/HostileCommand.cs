using System.ComponentModel;
using Spectre.Console.Cli;
using Telemetry.Core.Samples;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Samples;

/// <summary><c>telemetry samples hostile</c>: writes the hostile corpus, one .eml file per case (1.6 GB in all).</summary>
public sealed class HostileCommand(CliContext cli) : Command<HostileCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("The folder to write the .eml files into (created if missing). Existing files are never overwritten.")]
        public string Out { get; init; } = string.Empty;

        [CommandOption("--only <NAME>")]
        [Description("Write only this case (repeatable). Default: every case.")]
        public string[] Only { get; init; } = [];

        public override Spectre.Console.ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out))
            {
                return Spectre.Console.ValidationResult.Error("--out is required.");
            }

            var unknown = Only.Where(name => !HostileCorpus.Cases.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))).ToList();
            return unknown.Count == 0
                ? Spectre.Console.ValidationResult.Success()
                : Spectre.Console.ValidationResult.Error($"no hostile case named {string.Join(", ", unknown)}; known: {string.Join(", ", HostileCorpus.Cases.Select(c => c.Name))}");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var cases = settings.Only.Length == 0 ? HostileCorpus.Cases : [.. settings.Only.Select(HostileCorpus.Find)];
        foreach (var hostile in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = HostileCorpus.WriteFile(hostile, settings.Out);
            cli.Out.WriteLine($"{Path.GetFileName(path)}\t{new FileInfo(path).Length:N0} bytes\t{hostile.Description}");
        }

        return TelemetryApp.ExitOk;
    }
}
