using System.ComponentModel;
using Dapper;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Samples;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Samples;

/// <summary>
/// <c>telemetry samples load</c>: fills a new database with the ground truth of a generated corpus (what ingesting its
/// mail would store) without rendering or parsing any mail, for benchmarks and demos at scale.
/// </summary>
public sealed class LoadCommand(CliContext cli) : Command<LoadCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
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
        [Description("Random seed: the same options and seed give the same reports as 'samples generate' gives mail. Default: 42")]
        [DefaultValue(42)]
        public int Seed { get; init; } = 42;

        public override ValidationResult Validate() => CorpusArguments.Validate(Instances, Months, LastMonth);
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = CorpusArguments.Options(settings.Instances, settings.Months, settings.Seed, settings.LastMonth);
        using var loggers = cli.CreateLoggerFactory();
        using var connection = settings.OpenOrCreate();
        var loader = new PopulationLoader(connection, cli.Time, loggers.CreateLogger<PopulationLoader>());
        var (reports, events) = loader.Existing();
        if (reports > 0 || events > 0)
        {
            throw new UsageException(
                $"{Path.GetFullPath(settings.Database)} already holds {reports:N0} reports and {events:N0} opt events; samples load only fills a new database (choose another --db).");
        }

        var generator = new CorpusGenerator(options);
        LoadCounts counts;
        if (cli.ErrorIsTerminal)
        {
            counts = WithProgress(generator, loader, cancellationToken);
        }
        else
        {
            counts = loader.Load(generator.Population(), cancellationToken: cancellationToken);
        }

        var instances = connection.ExecuteScalar<long>("SELECT count(*) FROM instances");
        cli.Out.WriteLine(
            $"Loaded {counts.Reports:N0} reports of {instances:N0} instances and {counts.OptEvents:N0} opt events ({settings.Instances:N0} instances, {settings.Months} months to {settings.LastMonth}, seed {settings.Seed}) "
            + $"into {Path.GetFullPath(settings.Database)} in {counts.Elapsed.TotalSeconds:N1} s ({counts.ReportsPerSecond:N0} reports per second).");
        return TelemetryApp.ExitOk;
    }

    private LoadCounts WithProgress(CorpusGenerator generator, PopulationLoader loader, CancellationToken cancellationToken)
    {
        LoadCounts? counts = null;
        cli.ErrorConsole().Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("Planning the population");
                task.IsIndeterminate = true;
                var population = generator.Population();
                task.MaxValue = Math.Max(1, population.ReportCount + population.OptEventCount);
                task.IsIndeterminate = false;
                task.Description = "Loading";
                counts = loader.Load(
                    population,
                    p =>
                    {
                        task.Value = p.Reports + p.OptEvents;
                        task.Description = $"Loading ({p.Reports:N0} of {population.ReportCount:N0} reports, {p.ReportsPerSecond:N0}/s)";
                    },
                    cancellationToken);
                task.Value = task.MaxValue;
            });
        return counts!;
    }
}
