using System.Globalization;

namespace Telemetry.Core.Reports;

/// <summary>Parsing of the ISO 8601 forms the add-on uses.</summary>
internal static class Timestamps
{
    /// <summary>Parses an instant that must carry a UTC offset (or Z).</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.AsSpan().Trim();
        if (!TryMatchInstant(trimmed, out var seconds, out var fraction, out var offsetText))
        {
            return false;
        }

        try
        {
            // Seven digits of the fraction are ticks; fewer are padded with zeros, more are cut off.
            var ticks = 0L;
            if (!fraction.IsEmpty)
            {
                for (var i = 0; i < 7; i++)
                {
                    ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
                }
            }

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

            var local = new DateTime(
                    Digits(trimmed[..4]),
                    Digits(trimmed.Slice(5, 2)),
                    Digits(trimmed.Slice(8, 2)),
                    Digits(trimmed.Slice(11, 2)),
                    Digits(trimmed.Slice(14, 2)),
                    seconds == 60 ? 59 : seconds,
                    DateTimeKind.Unspecified)
                .AddTicks(ticks);
            value = new DateTimeOffset(local, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>
    /// Matches <c>^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)$</c>
    /// by hand, ASCII digits only: the seconds (0 when absent), the fraction's digits (empty when absent) and the offset.
    /// No part of that pattern can be matched in two ways (what follows each optional part cannot start like it), so
    /// reading it left to right is all the regular expression would do.
    /// </summary>
    internal static bool TryMatchInstant(ReadOnlySpan<char> s, out int seconds, out ReadOnlySpan<char> fraction, out ReadOnlySpan<char> offset)
    {
        seconds = 0;
        fraction = default;
        offset = default;
        if (s.Length < 17
            || !IsDigits(s[..4]) || s[4] != '-' || !IsDigits(s.Slice(5, 2)) || s[7] != '-' || !IsDigits(s.Slice(8, 2))
            || s[10] is not ('T' or 't' or ' ')
            || !IsDigits(s.Slice(11, 2)) || s[13] != ':' || !IsDigits(s.Slice(14, 2)))
        {
            return false;
        }

        var rest = s[16..];
        if (rest[0] == ':')
        {
            if (rest.Length < 3 || !IsDigits(rest.Slice(1, 2)))
            {
                return false;
            }

            seconds = Digits(rest.Slice(1, 2));
            rest = rest[3..];
            if (!rest.IsEmpty && rest[0] is '.' or ',')
            {
                var digits = rest[1..].IndexOfAnyExceptInRange('0', '9');
                var count = digits < 0 ? rest.Length - 1 : digits;
                if (count is < 1 or > 9)
                {
                    return false;
                }

                fraction = rest.Slice(1, count);
                rest = rest[(1 + count)..];
            }
        }

        offset = rest;
        return rest is "Z" or "z"
            || (rest.Length is 3 or 5 or 6 && rest[0] is '+' or '-' && IsDigits(rest.Slice(1, 2))
                && (rest.Length == 3
                    || (rest.Length == 5 && IsDigits(rest.Slice(3, 2)))
                    || (rest.Length == 6 && rest[3] == ':' && IsDigits(rest.Slice(4, 2)))));
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
