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

        // Every group holds ASCII digits only (and the offset a sign and an optional colon): read in place.
        int I(int g) => Digits(m.Groups[g].ValueSpan);
        try
        {
            // Seven digits of the fraction are ticks; fewer are padded with zeros, more are cut off.
            var ticks = 0L;
            if (m.Groups[7].Success)
            {
                var fraction = m.Groups[7].ValueSpan;
                for (var i = 0; i < 7; i++)
                {
                    ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
                }
            }

            var offsetText = m.Groups[8].ValueSpan;
            var offset = TimeSpan.Zero;
            if (offsetText is not ("Z" or "z"))
            {
                var sign = offsetText[0] == '-' ? -1 : 1;
                var hours = Digits(offsetText.Slice(1, 2));
                var rest = offsetText[3..];
                var minutes = rest.IsEmpty ? 0 : Digits(rest[^2..]);
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
    public static bool TryParseDate(string? text, out DateOnly value)
    {
        var trimmed = text?.Trim();

        // The usual form, ten ASCII digits and dashes naming a real date, is read directly; anything else is left to
        // DateOnly.TryParseExact, which would read that form the same way.
        if (trimmed is { Length: 10 }
            && trimmed[4] == '-' && trimmed[7] == '-'
            && IsDigits(trimmed.AsSpan(0, 4)) && IsDigits(trimmed.AsSpan(5, 2)) && IsDigits(trimmed.AsSpan(8, 2)))
        {
            var year = Digits(trimmed.AsSpan(0, 4));
            var month = Digits(trimmed.AsSpan(5, 2));
            var day = Digits(trimmed.AsSpan(8, 2));
            if (year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                value = new DateOnly(year, month, day);
                return true;
            }
        }

        return DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static bool IsDigits(ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>The value of a short run of ASCII digits.</summary>
    private static int Digits(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

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
