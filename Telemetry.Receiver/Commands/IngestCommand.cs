using System.ComponentModel;

using Microsoft.Extensions.Logging;

using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry ingest PATH...</c>: reads local mail into the database.</summary>
public sealed class IngestCommand(CliContext cli) : Command<IngestCommand.Settings>
{
    public sealed class Settings : OutputSettings
    {
        [CommandArgument(0, "<PATH>")]
        [Description("An .eml file, a folder of .eml files (recursive), a Maildir, or an mbox file (Gmail Takeout). Several may be given.")]
        public string[] Paths { get; init; } = [];

        [CommandOption("--move")]
        [Description("Treat PATH (one Maildir or folder) as the reports mailbox: after the outcomes are committed, file each message into Telemetry/Processed, Invalid, Unsupported or Ignored, and delete fully opted-out mail. Without it, files are never changed.")]
        public bool Move { get; init; }

        [CommandOption("--keep-processed-days <DAYS>")]
        [Description("With --move: delete processed messages this many days after they were filed (the database keeps what is needed). Default: 30")]
        [DefaultValue(MailboxProcessor.DefaultKeepProcessedDays)]
        public int KeepProcessedDays { get; init; } = MailboxProcessor.DefaultKeepProcessedDays;

        public override ValidationResult Validate()
        {
            if (Move && (Paths.Length != 1 || !Directory.Exists(Paths[0])))
            {
                return ValidationResult.Error("--move files the messages of one mailbox: give exactly one Maildir or folder.");
            }

            if (KeepProcessedDays < 1)
            {
                return ValidationResult.Error($"--keep-processed-days must be at least 1 (got {KeepProcessedDays}).");
            }

            foreach (var path in Paths)
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    return ValidationResult.Error($"No such file or directory: {path}");
                }
            }

            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Verbose)
        {
            cli.MinimumLogLevel = LogLevel.Debug;
        }

        var limits = ExtractionLimits.Default;
        if (settings.Move)
        {
            return Move(settings, limits, cancellationToken);
        }

        var sources = settings.Paths.Select(p => new FileMessageSource(p, limits.MaxMessageBytes)).ToList();
        // Files read without moving them: the next ones are read and parsed while these are stored.
        using var loggers = cli.CreateLoggerFactory();
        using var connection = settings.OpenOrCreate();
        var ingestor = new Ingestor(connection, new ReportExtractor(limits), cli.Time, loggers.CreateLogger<Ingestor>()) { Prefetch = true, BatchSize = Ingestor.FilesBatchSize };

        IngestSummary summary;
        if (cli.ErrorIsTerminal && !settings.Verbose)
        {
            summary = WithProgress(ingestor, sources, cancellationToken);
        }
        else
        {
            summary = ingestor.Ingest(sources.SelectMany(s => s.Read()), cancellationToken: cancellationToken);
        }

        Evaluate(connection);
        if (summary.Messages == 0)
        {
            cli.Error.WriteLine("warning: no message found in " + string.Join(", ", settings.Paths) + " (an .eml file, a folder of .eml files, a Maildir with cur/ or new/, or an mbox file is expected)");
        }

        Print(summary, settings.OutputFormat);
        return TelemetryApp.ExitOk;
    }

    private int Move(Settings settings, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        var source = new FileMessageSource(settings.Paths[0], limits.MaxMessageBytes);
        IMailbox mailbox = source.Kind == FileSourceKind.Maildir
            ? new MaildirMailbox(source.Path, new MailboxFolders(), cli.Time)
            : new DirectoryMailbox(source.Path, new MailboxFolders(), cli.Time);
        using var loggers = cli.CreateLoggerFactory();
        using var connection = settings.OpenOrCreate();
        var ingestor = new Ingestor(connection, new ReportExtractor(limits), cli.Time, loggers.CreateLogger<Ingestor>());
        var processor = new MailboxProcessor(ingestor, mailbox, cli.Time, loggers.CreateLogger<MailboxProcessor>());
        var cycle = processor.RunOnce(limits.MaxMessageBytes, TimeSpan.FromDays(settings.KeepProcessedDays), cancellationToken);
        Evaluate(connection);
        Print(cycle.Summary, settings.OutputFormat);
        if (settings.OutputFormat == OutputFormat.Table)
        {
            var filed = string.Join(", ", cycle.Filed.OrderBy(f => f.Key).Select(f => $"{(f.Key == MailboxFolder.Delete ? "deleted (opted out)" : f.Key.ToString().ToLowerInvariant())}: {f.Value:N0}"));
            cli.Out.WriteLine($"Filed in {mailbox.Description}: {(filed.Length == 0 ? "nothing" : filed)}; {cycle.ExpiredProcessed:N0} processed messages past {settings.KeepProcessedDays} days deleted.");
        }

        return TelemetryApp.ExitOk;
    }

    /// <summary>The health rules run after every ingestion.</summary>
    private void Evaluate(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        new Core.Health.HealthEvaluator(connection, new Core.Health.HealthOptions()).Record(cli.Time.GetUtcNow(), transaction);
        transaction.Commit();
    }

    private IngestSummary WithProgress(Ingestor ingestor, List<FileMessageSource> sources, CancellationToken cancellationToken)
    {
        var total = sources.Sum(s => s.TotalBytes());
        IngestSummary? summary = null;
        cli.ErrorConsole().Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("Ingesting", maxValue: Math.Max(1, total));
                long messages = 0;
                summary = ingestor.Ingest(
                    sources.SelectMany(s => s.Read(bytes => task.Increment(bytes))),
                    batch =>
                    {
                        messages += batch.Count;
                        task.Description = $"Ingesting ({messages:N0} messages)";
                    },
                    cancellationToken);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    /// <summary>The outcome counts; their names in JSON and CSV are a contract scripts rely on.</summary>
    private static readonly Column<IngestSummary>[] Counts =
    [
        Column.Count<IngestSummary>("messages", "messages read", s => s.Messages),
        Column.Count<IngestSummary>("reports", "reports found", s => s.Reports),
        Column.Count<IngestSummary>("accepted", "accepted", s => s.Accepted),
        Column.Count<IngestSummary>("duplicate", "duplicate", s => s.Duplicate),
        Column.Count<IngestSummary>("dropped", "dropped (opted out)", s => s.Dropped),
        Column.Count<IngestSummary>("invalid", "invalid", s => s.Invalid),
        Column.Count<IngestSummary>("unsupported", "unsupported", s => s.Unsupported),
        Column.Count<IngestSummary>("notReport", "not a report", s => s.NotReport),
    ];

    private void Print(IngestSummary s, OutputFormat format) => Print(cli, s, format);

    /// <summary>The outcome counts, as ingest and run print them.</summary>
    public static void Print(CliContext cli, IngestSummary s, OutputFormat format)
    {
        var seconds = Math.Max(s.Elapsed.TotalSeconds, 0.001);
        Listing.WriteRecord(cli, format, s, Counts, "Ingestion", $"{s.Messages / seconds:N0} messages per second");
    }
}
