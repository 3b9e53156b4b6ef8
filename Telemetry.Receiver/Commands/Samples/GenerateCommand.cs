using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Samples;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Samples;

/// <summary><c>telemetry samples generate</c>: writes a realistic, reproducible mailbox for demos, tests and benchmarks.</summary>
public sealed class GenerateCommand(CliContext cli) : Command<GenerateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--out <PATH>")]
        [Description("Where to write: a folder (maildir, eml) or a file (mbox). Must not exist yet.")]
        public string Out { get; init; } = string.Empty;

        [CommandOption("--as <KIND>")]
        [Description("maildir, eml or mbox. Default: maildir")]
        [DefaultValue("maildir")]
        public string As { get; init; } = "maildir";

        [CommandOption("--instances <N>")]
        [Description("Confluence instances. Default: 20")]
        [DefaultValue(20)]
        public int Instances { get; init; } = 20;

        [CommandOption("--months <N>")]
        [Description("Months of monthly reports. Default: 6")]
        [DefaultValue(6)]
        public int Months { get; init; } = 6;

        [CommandOption("--last-month <YYYY-MM>")]
        [Description("The last month covered by monthly reports. Default: 2026-10")]
        [DefaultValue("2026-10")]
        public string LastMonth { get; init; } = "2026-10";

        [CommandOption("--seed <N>")]
        [Description("Random seed: the same options and seed give the same bytes. Default: 42")]
        [DefaultValue(42)]
        public int Seed { get; init; } = 42;

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out))
            {
                return ValidationResult.Error("--out is required.");
            }

            if (Path.Exists(Out))
            {
                return ValidationResult.Error($"{Out} already exists; choose a new path.");
            }

            if (As is not ("maildir" or "eml" or "mbox"))
            {
                return ValidationResult.Error($"--as must be maildir, eml or mbox (got '{As}').");
            }

            return CorpusArguments.Validate(Instances, Months, LastMonth);
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = CorpusArguments.Options(settings.Instances, settings.Months, settings.Seed, settings.LastMonth);
        var messages = new CorpusGenerator(options).Stream();
        var count = 0;
        var counted = messages.Select(m =>
        {
            count++;
            return m;
        });
        switch (settings.As)
        {
            case "eml":
                CorpusWriter.WriteEmlDirectory(settings.Out, counted);
                break;
            case "mbox":
                CorpusWriter.WriteMbox(settings.Out, counted);
                break;
            default:
                CorpusWriter.WriteMaildir(settings.Out, counted);
                break;
        }

        cli.Out.WriteLine($"Wrote {count:N0} messages ({settings.Instances} instances, {settings.Months} months, seed {settings.Seed}) to {settings.Out}");
        return TelemetryApp.ExitOk;
    }
}
