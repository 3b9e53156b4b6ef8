using System.ComponentModel;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Configuration;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;
using Telemetry.Receiver.Service;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry run</c>: the receiver service.</summary>
public sealed class RunCommand(CliContext cli) : Command<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("A JSON configuration file, read after appsettings.json next to the program and before environment variables.")]
        public string? Config { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Sets one configuration key, last and strongest source: --set Telemetry:Mailbox:Kind=Maildir. Repeatable.")]
        public string[] Set { get; init; } = [];

        [CommandOption("--db <PATH>")]
        [Description("Shortcut for --set Telemetry:Database=PATH.")]
        public string? Database { get; init; }

        [CommandOption("--once")]
        [Description("Process everything waiting, then exit.")]
        public bool Once { get; init; }

        [CommandOption("--dry-run")]
        [Description("Parse and print the outcome of each waiting message; write nothing, neither to the mailbox nor to the database.")]
        public bool DryRun { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("For --once and --dry-run: table, json or csv. Default: table")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        [CommandOption("-v|--verbose")]
        [Description("Log each message handled.")]
        public bool Verbose { get; init; }

        public override ValidationResult Validate() =>
            Format is "table" or "json" or "csv" ? ValidationResult.Success() : ValidationResult.Error($"--format must be table, json or csv (got '{Format}').");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TelemetryOptions options;
        try
        {
            var overrides = settings.Database is null ? null : new Dictionary<string, string?> { ["Telemetry:Database"] = settings.Database };
            options = ServiceConfiguration.Bind(ServiceConfiguration.Build(settings.Config, settings.Set, overrides));
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }

        cli.MinimumLogLevel = settings.Verbose ? LogLevel.Debug : LogLevel.Information;
        var format = settings.Format switch { "json" => OutputFormat.Json, "csv" => OutputFormat.Csv, _ => OutputFormat.Table };
        if (settings.DryRun || settings.Once)
        {
            using var loggers = cli.CreateLoggerFactory();
            var mailbox = MailboxFactory.Create(options, cli.Time, loggers);
            try
            {
                if (settings.DryRun)
                {
                    return DryRun(options, mailbox, format, cancellationToken);
                }

                var cycle = ReceiverService.RunOnce(options, mailbox, cli.Time, loggers, cancellationToken);
                IngestCommand.Print(cli, cycle.Summary, format);
                return TelemetryApp.ExitOk;
            }
            finally
            {
                (mailbox as IDisposable)?.Dispose();
            }
        }

        return Serve(options, settings.Verbose);
    }

    private static int Serve(TelemetryOptions options, bool verbose)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => MailboxFactory.Create(options, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ReceiverService>();
        using var host = builder.Build();
        host.Run();
        return TelemetryApp.ExitOk;
    }

    /// <summary>Every waiting message through the whole decision, inside a transaction that is rolled back; the mailbox is only read.</summary>
    private int DryRun(TelemetryOptions options, IMailbox mailbox, OutputFormat format, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchCopy(options);
        using var connection = TelemetryDatabase.Open(scratch.Database, create: true, scratch.KeyFile);
        var ingestor = new Ingestor(connection, new ReportExtractor(options.Limits), cli.Time);
        var results = new List<MessageResult>();
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var message in mailbox.Pending(options.Limits.MaxMessageBytes, cancellationToken))
            {
                results.Add(ingestor.Process(message, transaction));
            }

            transaction.Rollback();
        }

        Column<MessageResult>[] columns =
        [
            new("message", "Message", r => r.Origin),
            new("outcome", "Outcome", r => r.Outcome.ToWire()),
            new("folder", "Would go to", r => MailboxFolders.For(r.Recorded) is var f && f == MailboxFolder.Delete ? "(deleted)" : options.Mailbox.Folders.NameOf(f)),
            new("reasons", "Reasons", r => string.Join("; ", r.Items.Where(i => i.Reason is not null).Select(i => i.Reason).Distinct())),
        ];
        Listing.Write(cli, format, results, columns, $"Dry run on {mailbox.Description}: nothing was written", "No message waiting.");
        return TelemetryApp.ExitOk;
    }

    /// <summary>
    /// A dry run decides against a copy of the database, so that not even a migration or a WAL checkpoint touches the
    /// real one; without a database, against an empty one. Removed afterwards.
    /// </summary>
    private sealed class ScratchCopy : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "telemetry-dry-run-" + Guid.NewGuid().ToString("N"));

        public ScratchCopy(TelemetryOptions options)
        {
            Directory.CreateDirectory(folder);
            DataAccess.Restrict(folder, group: null, isDirectory: true);
            Database = Path.Combine(folder, "dry-run.db");
            KeyFile = Path.Combine(folder, "dry-run.key");
            var key = options.KeyFile ?? Core.Privacy.SuppressionKey.DefaultPathFor(options.Database);
            if (File.Exists(options.Database) && !File.Exists(options.Database + "-wal"))
            {
                // Closed cleanly and nobody writing: the file alone is the whole database. Opening it, even read-only,
                // would create its shared-memory file.
                File.Copy(key, KeyFile);
                File.Copy(options.Database, Database);
            }
            else if (File.Exists(options.Database))
            {
                // A writer has it open: the backup API gives a consistent copy (its WAL files exist already).
                File.Copy(key, KeyFile);
                using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.Database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
                source.Open();
                target.Open();
                source.BackupDatabase(target);
            }
        }

        public string Database { get; }

        public string KeyFile { get; }

        public void Dispose() => Directory.Delete(folder, recursive: true);
    }
}
