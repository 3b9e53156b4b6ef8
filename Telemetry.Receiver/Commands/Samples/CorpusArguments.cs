using System.Globalization;
using Spectre.Console;
using Telemetry.Core.Samples;

namespace Telemetry.Receiver.Commands.Samples;

/// <summary>The corpus options <c>samples generate</c> and <c>samples load</c> share: their limits and their reading.</summary>
internal static class CorpusArguments
{
    public static ValidationResult Validate(int instances, int months, string lastMonth)
    {
        if (instances is < 1 or > 1_000_000 || months is < 1 or > 240)
        {
            return ValidationResult.Error("--instances must be 1 to 1,000,000 and --months 1 to 240.");
        }

        return TryParseMonth(lastMonth, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--last-month must look like 2026-10 (got '{lastMonth}').");
    }

    public static CorpusOptions Options(int instances, int months, int seed, string lastMonth) => new()
    {
        Instances = instances,
        Months = months,
        Seed = seed,
        LastMonth = DateOnly.ParseExact(lastMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static bool TryParseMonth(string text, out DateOnly month) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month);
}
