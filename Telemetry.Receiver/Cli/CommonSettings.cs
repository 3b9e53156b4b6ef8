using System.ComponentModel;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Storage;

namespace Telemetry.Receiver.Cli;

/// <summary>Options every command takes.</summary>
public class DatabaseSettings : CommandSettings
{
    [CommandOption("--db <PATH>")]
    [Description("The SQLite database file. Default: ./telemetry.db")]
    [DefaultValue(TelemetryDatabase.DefaultPath)]
    public string Database { get; init; } = TelemetryDatabase.DefaultPath;

    [CommandOption("--key-file <PATH>")]
    [Description("The suppression key (created with mode 0600 on first use). Default: beside the database, telemetry.key")]
    public string? KeyFile { get; init; }

    [CommandOption("--group <NAME>")]
    [Description("The analytics group that may read what this command creates (database, key file, folder). Default: owner only")]
    public string? Group { get; init; }

    [CommandOption("-v|--verbose")]
    [Description("Log each message handled (to standard error).")]
    public bool Verbose { get; init; }

    /// <summary>Opens the database, creating it (and its key file) when missing.</summary>
    public SqliteConnection OpenOrCreate() => TelemetryDatabase.Open(Database, create: true, KeyFile, Group);

    /// <summary>Opens a database that must exist (commands that only read).</summary>
    public SqliteConnection OpenExisting() => TelemetryDatabase.Open(Database, create: false, KeyFile, Group);
}

/// <summary>Options of commands that print a listing.</summary>
public class OutputSettings : DatabaseSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (for people), json or csv (for scripts). Default: table")]
    [DefaultValue("table")]
    public string Format { get; init; } = "table";

    public OutputFormat OutputFormat => Format.ToLowerInvariant() switch
    {
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => OutputFormat.Table,
    };

    protected virtual string[] AllowedFormats => ["table", "json", "csv"];

    public override ValidationResult Validate() =>
        AllowedFormats.Contains(Format.ToLowerInvariant())
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format must be one of {string.Join(", ", AllowedFormats)} (got '{Format}').");
}

/// <summary>Options of statistics: an as-of date on top of the output format.</summary>
public class StatsSettings : OutputSettings
{
    [CommandOption("--as-of <DATE>")]
    [Description("Compute the figures as they stood at the end of this day (YYYY-MM-DD, UTC). Default: today")]
    public string? AsOf { get; init; }

    [CommandOption("--shareable")]
    [Description("Figures fit to share: counts of fewer than 5 instances show as <5, and whatever would let one be worked out as x.")]
    public bool Shareable { get; init; }

    [CommandOption("--no-chart")]
    [Description("No chart below the table (charts are drawn only on a terminal, never into a file or a pipe).")]
    public bool NoChart { get; init; }

    [CommandOption("--active-days <DAYS>")]
    [Description("The active window: an instance is active when its latest report is at most this many days old. Default: 45")]
    [DefaultValue(45)]
    public int ActiveDays { get; init; } = 45;

    /// <summary>Whether to draw charts: tables on a terminal, unless --no-chart.</summary>
    public bool Charts(CliContext cli) => OutputFormat == OutputFormat.Table && cli.OutIsTerminal && !NoChart;

    /// <summary>The statistics, published as these options ask (shareable or not).</summary>
    public Core.Stats.StatisticsPublisher Publisher(Microsoft.Data.Sqlite.SqliteConnection connection) => new(connection, Shareable);

    /// <summary>The table caption that explains hidden figures, when shareable.</summary>
    public string? ShareableCaption => Shareable
        ? "Shareable: <5 = fewer than 5 instances; x = hidden so that no small figure can be worked out."
        : null;

    /// <summary>The as-of date and active window these options ask for (today by the context's clock when no date is given).</summary>
    public Core.Stats.AsOf Resolve(CliContext cli) =>
        AsOfDate is { } date
            ? new Core.Stats.AsOf(date, TimeSpan.FromDays(ActiveDays))
            : Core.Stats.AsOf.Today(cli.Time, TimeSpan.FromDays(ActiveDays));

    public DateOnly? AsOfDate =>
        AsOf is null ? null : DateOnly.ParseExact(AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override ValidationResult Validate()
    {
        if (AsOf is not null && !DateOnly.TryParseExact(AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return ValidationResult.Error($"--as-of must be a date such as 2026-10-31 (got '{AsOf}').");
        }

        if (ActiveDays is < 1 or > 3650)
        {
            return ValidationResult.Error($"--active-days must be between 1 and 3650 (got {ActiveDays}).");
        }

        return base.Validate();
    }
}

public enum OutputFormat
{
    Table,
    Json,
    Csv,
}
