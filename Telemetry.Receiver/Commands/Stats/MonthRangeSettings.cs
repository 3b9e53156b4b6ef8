using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary>Options of month-by-month statistics: a range of months up to the as-of date.</summary>
public class MonthRangeSettings : StatsSettings
{
    public const int MaxMonths = 240;

    [CommandOption("--from <YYYY-MM>")]
    [Description("The first month. Default: 23 months before --to")]
    public string? From { get; init; }

    [CommandOption("--to <YYYY-MM>")]
    [Description("The last month (measured at the as-of date when it is the as-of date's month). Default: the as-of date's month")]
    public string? To { get; init; }

    /// <summary>The months asked for, as first days; --to defaults to the as-of month, --from to 23 months before.</summary>
    public (DateOnly From, DateOnly To) Range(AsOf asOf)
    {
        var to = To is null ? new DateOnly(asOf.Date.Year, asOf.Date.Month, 1) : ParseMonth(To)!.Value;
        var from = From is null ? to.AddMonths(-23) : ParseMonth(From)!.Value;
        return (from, to);
    }

    public override ValidationResult Validate()
    {
        foreach (var (name, value) in new[] { ("--from", From), ("--to", To) })
        {
            if (value is not null && ParseMonth(value) is null)
            {
                return ValidationResult.Error($"{name} must be a month such as 2026-10 (got '{value}').");
            }
        }

        if (From is not null && To is not null)
        {
            var (from, to) = (ParseMonth(From)!.Value, ParseMonth(To)!.Value);
            if (from > to)
            {
                return ValidationResult.Error($"--from ({From}) is after --to ({To}).");
            }

            if ((to.Year - from.Year) * 12 + to.Month - from.Month >= MaxMonths)
            {
                return ValidationResult.Error($"At most {MaxMonths} months at a time.");
            }
        }

        if (To is not null && AsOfDate is { } asOf && ParseMonth(To) > new DateOnly(asOf.Year, asOf.Month, 1))
        {
            return ValidationResult.Error($"--to ({To}) is after the as-of date ({AsOf}): months that have not begun have no figures.");
        }

        return base.Validate();
    }

    private static DateOnly? ParseMonth(string value) =>
        DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
