using System.Globalization;
using System.Text.RegularExpressions;
using Telemetry.Core.Reports;

namespace Telemetry.Tests.Reports;

/// <summary>
/// The timestamps are read by hand; these tests hold them to the definitions they replace, a regular expression for
/// instants and DateOnly.TryParseExact for dates, on every string one edit away from many valid and invalid ones.
/// </summary>
public sealed partial class TimestampsTests
{
    private static readonly string[] Seeds =
    [
        "2026-10-05T10:00:00Z",
        "2026-10-05t10:00z",
        "2026-10-05 10:00:00+01:00",
        "2026-10-05T10:00:00-0530",
        "2026-10-05T10:00+14",
        "2026-10-05T23:59:60.123456789+14:00",
        "2026-10-05T10:00:00,5-00:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59.9999999-01:00",
        "2024-02-29T12:00:00.1Z",
        "2023-02-29T12:00:00Z",
        "2026-13-05T10:00:00Z",
        "2026-10-05T24:00:00+00:00",
        "2026-10-05T10:00:00+14:59",
        "2026-10-05T10:00:00.1234567891Z",
        "  2026-10-05T10:00:00Z\n",
        "2016-04-01",
        "0000-04-01",
        "2016-02-30",
        "2016-4-1",
        " 2016-04-30 ",
    ];

    private const string Alphabet = "0123456789-:.,+TtZz \n\u0660\uFF11a";

    public static IEnumerable<string> Cases()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in Seeds)
        {
            foreach (var s in OneEditAway(seed))
            {
                if (seen.Add(s))
                {
                    yield return s;
                }
            }
        }
    }

    [Test]
    public void TryParseInstant_AgreesWithTheRegularExpression()
    {
        var cases = Cases().ToList();
        var mismatches = cases
            .Where(s => Describe(Timestamps.TryParseInstant(s, out var v), v) != Describe(ReferenceInstant(s, out var r), r))
            .Take(10)
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cases, Has.Count.GreaterThan(10_000));
            Assert.That(cases.Count(s => ReferenceInstant(s, out _)), Is.GreaterThan(100));
            Assert.That(mismatches, Is.Empty);
        });
    }

    [Test]
    public void TryParseDate_AgreesWithTryParseExact()
    {
        var cases = Cases().ToList();
        var mismatches = cases
            .Where(s => Describe(Timestamps.TryParseDate(s, out var v), v) != Describe(ReferenceDate(s, out var r), r))
            .Take(10)
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cases.Count(s => ReferenceDate(s, out _)), Is.GreaterThan(20));
            Assert.That(mismatches, Is.Empty);
        });
    }

    [TestCase("2026-10-05T10:00:00.1234567+02:00", "2026-10-05T10:00:00.1234567+02:00")]
    [TestCase("2026-10-05 10:00:60z", "2026-10-05T10:00:59.0000000+00:00")]
    [TestCase("2026-10-05T10:00-0530", "2026-10-05T10:00:00.0000000-05:30")]
    [TestCase("2026-10-05T10:00:00.123456789Z", "2026-10-05T10:00:00.1234567+00:00")]
    public void TryParseInstant_ReadsEachPart(string text, string expected)
    {
        Assert.That(Timestamps.TryParseInstant(text, out var value), Is.True);
        Assert.That(value.ToString("O", CultureInfo.InvariantCulture), Is.EqualTo(expected));
    }

    private static IEnumerable<string> OneEditAway(string seed)
    {
        yield return seed;
        for (var i = 0; i <= seed.Length; i++)
        {
            if (i < seed.Length)
            {
                yield return seed.Remove(i, 1);
            }

            foreach (var c in Alphabet)
            {
                yield return seed.Insert(i, c.ToString());
                if (i < seed.Length)
                {
                    yield return seed[..i] + c + seed[(i + 1)..];
                }
            }
        }
    }

    private static string Describe<T>(bool ok, T value)
        where T : IFormattable =>
        ok ? "ok " + value.ToString("O", CultureInfo.InvariantCulture) : "no";

    private static bool ReferenceDate(string? text, out DateOnly value) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    // [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic, fullwidth...), which int.Parse rejects.
    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();

    /// <summary>How instants were read before: the regular expression, then its groups.</summary>
    private static bool ReferenceInstant(string? text, out DateTimeOffset value)
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
}
