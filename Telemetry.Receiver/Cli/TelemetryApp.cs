using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

using Spectre.Console.Cli;

using Telemetry.Core.Storage;
using Telemetry.Receiver.Commands;
using Telemetry.Receiver.Commands.Health;
using Telemetry.Receiver.Commands.Instance;
using Telemetry.Receiver.Commands.OptOut;
using Telemetry.Receiver.Commands.Samples;
using Telemetry.Receiver.Commands.Stats;

namespace Telemetry.Receiver.Cli;

/// <summary>The command line: verbs, exit codes and error messages.</summary>
public static class TelemetryApp
{
    /// <summary>Success.</summary>
    public const int ExitOk = 0;

    /// <summary>An I/O or database error (the message names the file).</summary>
    public const int ExitFailure = 1;

    /// <summary>Bad arguments.</summary>
    public const int ExitUsage = 2;

    public static int Run(string[] args, CliContext context)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("telemetry");
            config.Settings.Console = context.OutConsole();
            config.PropagateExceptions();
            config.ValidateExamples();
            Register(config);
        });

        try
        {
            return app.Run(args);
        }
        catch (CommandAppException e)
        {
            context.Error.WriteLine("error: " + e.Message);
            context.Error.WriteLine("Run 'telemetry --help' (or the command with --help) for usage.");
            return ExitUsage;
        }
        catch (Service.ConfigurationException e)
        {
            context.Error.WriteLine("error: " + e.Message);
            return ExitUsage;
        }
        catch (UsageException e)
        {
            context.Error.WriteLine("error: " + e.Message);
            return ExitUsage;
        }
        catch (DataAccessDeniedException e)
        {
            context.Error.WriteLine("error: " + e.Message);
            return ExitFailure;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException
            or MailKit.ProtocolException or MailKit.CommandException or MailKit.ServiceNotConnectedException or MailKit.FolderNotFoundException)
        {
            context.Error.WriteLine("error: the mailbox: " + e.Message.ReplaceLineEndings(" "));
            return ExitFailure;
        }
        catch (Exception e) when (e is DatabaseNotFoundException or IOException or UnauthorizedAccessException or SqliteException or InvalidOperationException)
        {
            context.Error.WriteLine("error: " + e.Message);
            return ExitFailure;
        }
    }

    private static void Register(IConfigurator config)
    {
        config.AddCommand<IngestCommand>("ingest")
            .WithDescription("Reads report emails from .eml files, folders, Maildirs or mbox files into the database.")
            .WithExample("ingest", "samples/mailbox")
            .WithExample("ingest", "takeout.mbox", "--format", "json");

        config.AddCommand<RunCommand>("run")
            .WithDescription("The receiver service: reads the reports mailbox, stores and files every message, forever (or --once).")
            .WithExample("run", "--config", "/etc/telemetry/appsettings.json")
            .WithExample("run", "--once", "--set", "Telemetry:Mailbox:Kind=Maildir", "--set", "Telemetry:Mailbox:Path=/srv/reports");

        config.AddBranch("auth", auth =>
        {
            auth.SetDescription("One-time authorisations.");
            auth.AddCommand<AuthGoogleCommand>("google")
                .WithDescription("Gmail OAuth2 (XOAUTH2): the installed-app consent, once; the service then refreshes tokens by itself.")
                .WithExample("auth", "google", "--config", "/etc/telemetry/appsettings.json");
        });

        config.AddCommand<BackupCommand>("backup")
            .WithDescription("A consistent, checked copy of the live database (VACUUM INTO).")
            .WithExample("backup", "--out", "/var/backups/telemetry-2026-11-29.db");

        config.AddCommand<StatusCommand>("status")
            .WithDescription("What the service last did: last pass, messages waiting, last error, outcomes today.");

        config.AddBranch("stats", stats =>
        {
            stats.SetDescription("Aggregate usage statistics.");
            stats.AddCommand<SummaryCommand>("summary")
                .WithDescription("Active, silent and opted-out instances, users and Play SQL active users.")
                .WithExample("stats", "summary", "--as-of", "2026-10-31");
            stats.AddCommand<TrendCommand>("trend")
                .WithDescription("Month by month: active instances, users, new installations, instances gone silent, opt-outs.")
                .WithExample("stats", "trend", "--from", "2025-01", "--to", "2026-10");
            stats.AddCommand<FeaturesCommand>("features")
                .WithDescription("Share of active instances (latest report monthly) that use each feature, at a date or month by month.")
                .WithExample("stats", "features", "--trend", "--from", "2026-01");
            stats.AddCommand<VersionsCommand>("versions")
                .WithDescription("Active instances per add-on or Confluence version, in version order; --cumulative for \"this version or later\".")
                .WithExample("stats", "versions", "--of", "confluence", "--cumulative");
            stats.AddCommand<LicensesCommand>("licenses")
                .WithDescription("Active instances and their users per license type.");
            stats.AddCommand<ConnectionsCommand>("connections")
                .WithDescription("Per database type: active instances using it and their connections.");
            stats.AddCommand<EditionsCommand>("editions")
                .WithDescription("Server and data center instances, and data center cluster sizes.");
        });

        config.AddCommand<ReportCommand>("report")
            .WithDescription("The statistics as one self-contained HTML page (charts and tables, no script, opens offline); --shareable for a page fit to send outside.")
            .WithExample("report", "--out", "usage-2026-10.html", "--as-of", "2026-10-31", "--shareable");

        config.AddBranch("health", health =>
        {
            health.SetDescription("Instances in trouble: flags raised by the health rules.");
            health.AddCommand<HealthListCommand>("list").WithDescription("Lists flags (open by default).");
            health.AddCommand<HealthShowCommand>("show").WithDescription("One flag, with what the rule means and what to do.");
            health.AddCommand<HealthAckCommand>("ack").WithDescription("Marks a flag as seen, with a note.");
            health.AddCommand<HealthSnoozeCommand>("snooze").WithDescription("Hides a flag until a date.")
                .WithExample("health", "snooze", "12", "--until", "2026-12-31");
            health.AddCommand<HealthEvaluateCommand>("evaluate").WithDescription("Evaluates the rules now (recorded), or as they stood on a past day (--as-of, not recorded).");
        });

        config.AddBranch("alerts", alerts =>
        {
            alerts.SetDescription("Alert emails about new health flags.");
            alerts.AddCommand<AlertsRetryCommand>("retry").WithDescription("Puts alert emails that gave up (see status) back in the queue.");
        });

        config.AddBranch("outreach", outreach =>
        {
            outreach.SetDescription("Reaching out to customers in trouble.");
            outreach.AddCommand<OutreachListCommand>("list").WithDescription("Open flags with the contact (or license SEN) and the advice that fits.");
        });

        config.AddBranch("instance", instance =>
        {
            instance.SetDescription("Access, export, erasure and legal holds for one instance (GDPR requests).");
            instance.AddCommand<InstanceShowCommand>("show")
                .WithDescription("Everything held about an instance: reports, message records, opt events, hold, audit entries.")
                .WithExample("instance", "show", "B1TW-5NYH-B6LE-ZMQS");
            instance.AddCommand<InstanceExportCommand>("export")
                .WithDescription("Writes everything held about an instance to a JSON file (access and portability).")
                .WithExample("instance", "export", "B1TW-5NYH-B6LE-ZMQS", "--out", "B1TW-5NYH-B6LE-ZMQS.json");
            instance.AddCommand<InstanceForgetCommand>("forget")
                .WithDescription("Erases everything held about an instance and suppresses its future reports.")
                .WithExample("instance", "forget", "B1TW-5NYH-B6LE-ZMQS", "--dry-run");
            instance.AddCommand<InstanceHoldCommand>("hold")
                .WithDescription("Puts an instance under legal hold: retention and erasure leave it alone.")
                .WithExample("instance", "hold", "B1TW-5NYH-B6LE-ZMQS", "--reason", "dispute-2026-17");
            instance.AddCommand<InstanceReleaseCommand>("release")
                .WithDescription("Ends a legal hold.");
        });

        config.AddCommand<PurgeCommand>("purge")
            .WithDescription("Deletes what has outlived its retention period (2 years after the relationship ends; audit entries after 1 year).")
            .WithExample("purge", "--dry-run");

        config.AddCommand<AuditCommand>("audit")
            .WithDescription("The audit log: opt-outs, opt-ins, erasures, exports, holds and purges, with who and when.")
            .WithExample("audit", "--since", "2026-01-01");

        config.AddBranch("samples", samples =>
        {
            samples.SetDescription("Realistic generated mail for demos, tests and benchmarks.");
            samples.AddCommand<GenerateCommand>("generate")
                .WithDescription("Writes a reproducible mailbox of N instances over M months, with opt-outs, duplicates, late mail and noise.")
                .WithExample("samples", "generate", "--out", "/tmp/mailbox", "--instances", "200", "--months", "24");
            samples.AddCommand<LoadCommand>("load")
                .WithDescription("Fills a new database with what ingesting such a mailbox would store (reports, instances, opt events), without any mail: "
                    + "for benchmarks at scale. No message is recorded and the health rules are not run. Refuses a database that already holds reports or opt events.")
                .WithExample("samples", "load", "--db", "/var/tmp/big.db", "--instances", "20000", "--months", "50");
            samples.AddCommand<HostileCommand>("hostile")
                .WithDescription("Writes the hostile corpus: one message per case built to break a limit (deep nesting, 100,000 parts, a 1 GiB attachment, a 10 GiB gzip bomb, ...), 1.6 GB in all.")
                .WithExample("samples", "hostile", "--out", "/var/tmp/hostile", "--only", "gzip-bomb-10gb");
        });

        config.AddBranch("optout", optout =>
        {
            optout.SetDescription("Opt instances out of (or back into) collection by hand.");
            optout.AddCommand<OptOutAddCommand>("add")
                .WithDescription("Opts an instance out from now on and erases what is stored about it.")
                .WithExample("optout", "add", "B1TW-5NYH-B6LE-ZMQS", "--reason", "customer-request");
            optout.AddCommand<OptOutRemoveCommand>("remove")
                .WithDescription("Lifts an opt-out from now on: later reports are accepted again.");
            optout.AddCommand<OptOutListCommand>("list")
                .WithDescription("Lists opt-out and opt-in events (instances appear as keyed hashes).");
            optout.AddCommand<OptOutCheckCommand>("check")
                .WithDescription("Says whether an instance is opted out now.")
                .WithExample("optout", "check", "B1TW-5NYH-B6LE-ZMQS");
        });
    }
}

/// <summary>A bad argument found by a command itself: exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
