using System.Globalization;
using System.Text.RegularExpressions;

namespace Telemetry.Core.Reports;

/// <summary>Parsing of the ISO 8601 forms the add-on uses.</summary>
internal static partial class Timestamps
{
    // [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic, fullwidth...), which int.Parse rejects.
    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();

    /// <summary>Parses an instant that must carry a UTC offset (or Z).</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var m = InstantPattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }

        int I(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        try
        {
            var fraction = m.Groups[7].Success ? m.Groups[7].Value.PadRight(7, '0')[..7] : "0";
            var ticks = long.Parse(fraction, CultureInfo.InvariantCulture);
            var offsetText = m.Groups[8].Value;
            var offset = TimeSpan.Zero;
            if (offsetText is not ("Z" or "z"))
            {
                var sign = offsetText[0] == '-' ? -1 : 1;
                var digits = offsetText[1..].Replace(":", string.Empty, StringComparison.Ordinal);
                var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
                var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
                if (hours > 14 || minutes > 59)
                {
                    return false;
                }

                offset = sign * new TimeSpan(hours, minutes, 0);
            }

            var seconds = m.Groups[6].Success ? I(6) : 0;
            var local = new DateTime(I(1), I(2), I(3), I(4), I(5), seconds == 60 ? 59 : seconds, DateTimeKind.Unspecified)
                .AddTicks(ticks);
            value = new DateTimeOffset(local, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Parses a calendar date <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string? text, out DateOnly value) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>Parses a date, also accepting a full timestamp and keeping its date part.</summary>
    public static bool TryParseLooseDate(string? text, out DateOnly value)
    {
        if (TryParseDate(text, out value))
        {
            return true;
        }

        if (text is { Length: > 10 } && TryParseDate(text[..10], out value))
        {
            return true;
        }

        return false;
    }
}
