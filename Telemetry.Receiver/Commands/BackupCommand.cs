using System.ComponentModel;
using Dapper;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Storage;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary>
/// <c>telemetry backup --out FILE</c>: a consistent copy of the live database (<c>VACUUM INTO</c>, never a file copy),
/// checked with <c>PRAGMA integrity_check</c>, owner-only. The key file must be saved with it.
/// </summary>
public sealed class BackupCommand(CliContext cli) : Command<BackupCommand.Settings>
{
    public sealed class Settings : DatabaseSettings
    {
        [CommandOption("--out <FILE>")]
        [Description("The backup file to create (must not exist).")]
        public string Out { get; init; } = string.Empty;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out FILE is required.")
            : File.Exists(Out) ? ValidationResult.Error($"{Out} already exists; choose a new file.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(settings.Out);

        // Created empty and owner-only first: VACUUM INTO fills an empty file, and the copy is never readable by others.
        File.WriteAllBytes(target, []);
        try
        {
            DataAccess.Restrict(target, settings.Group, isDirectory: false);
            using var connection = settings.OpenExisting();
            connection.Execute("VACUUM INTO @target", new { target });
        }
        catch
        {
            File.Delete(target);
            throw;
        }

        using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            copy.Open();
            var check = copy.ExecuteScalar<string>("PRAGMA integrity_check");
            if (check != "ok")
            {
                throw new InvalidOperationException($"The backup {target} failed its integrity check: {check}");
            }
        }

        var key = settings.KeyFile ?? Core.Privacy.SuppressionKey.DefaultPathFor(settings.Database);
        cli.Out.WriteLine($"Backed up {Path.GetFullPath(settings.Database)} to {target} (integrity check: ok). Keep the key file {key} with it: without the key, opt-outs in the backup cannot be recognised.");
        return TelemetryApp.ExitOk;
    }
}
