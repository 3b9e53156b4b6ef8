using System.ComponentModel;
using System.Globalization;
using System.Text;

using Spectre.Console;
using Spectre.Console.Cli;

using Telemetry.Core.Health;
using Telemetry.Core.Reporting;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry report --out FILE.html</c>: the statistics as one self-contained HTML page.</summary>
public sealed class ReportCommand(CliContext cli) : Command<ReportCommand.Settings>
{
    public sealed class Settings : StatsSettings
    {
        [CommandOption("--out <FILE>")]
        [Description("The HTML file to write (replaced if it exists). Internal reports are written owner-only (0600).")]
        public string Out { get; init; } = string.Empty;

        protected override string[] AllowedFormats => ["table"];

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out))
            {
                return ValidationResult.Error("--out FILE.html is required.");
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(Out));
            if (folder is not null && !Directory.Exists(folder))
            {
                return ValidationResult.Error($"The folder of --out does not exist: {folder}");
            }

            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var flags = settings.Shareable ? null : new HealthFlagStore(connection).List("open", null);
        var data = settings.Publisher(connection).Report(asOf, flags);

        // Written beside the target and renamed into place: a reader never sees half a page. An internal report
        // holds In-App Analytics (Server IDs of flagged instances), so it is owner-only, like an export.
        var path = Path.GetFullPath(settings.Out);
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = settings.Shareable
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                HtmlReport.Write(data, writer);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        var size = new FileInfo(path).Length;
        cli.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Wrote the {(settings.Shareable ? "shareable" : "internal")} report as of {asOf.Date:yyyy-MM-dd} to {settings.Out} ({size / 1024.0:0.#} KiB): {data.Summary.ActiveInstances.Text} active instances, {data.Trend.Count} months of trend{(flags is null ? string.Empty : $", {flags.Count} open health flag(s)")}."));
        return TelemetryApp.ExitOk;
    }
}
