using System.Buffers;

namespace Telemetry.Core.Reports;

/// <summary>Free text from reports, made safe to keep and to quote in reasons.</summary>
internal static class ReportText
{
    public const int MaxLength = 256;

    private const int ClipLength = 40;

    /// <summary>The characters <see cref="char.IsControl(char)"/> is true for: U+0000 to U+001F and U+007F to U+009F.</summary>
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    /// <summary>Trims, removes control characters and bounds the length of a text field before it is stored.</summary>
    public static string Sanitize(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > MaxLength)
        {
            trimmed = trimmed[..MaxLength];
        }

        return trimmed.AsSpan().ContainsAny(Controls) ? WithoutControls(trimmed, trimmed.Length) : trimmed;
    }

    /// <summary>At most 40 characters of a value, without control characters, for a reason shown to people.</summary>
    public static string Clip(string? s)
    {
        if (s is null)
        {
            return string.Empty;
        }

        if (s.Length <= ClipLength && !s.AsSpan().ContainsAny(Controls))
        {
            return s;
        }

        // One character more than shown tells a value that was cut from one of exactly 40 characters.
        var clean = WithoutControls(s, ClipLength + 1);
        return clean.Length > ClipLength ? clean[..ClipLength] + "…" : clean;
    }

    /// <summary>The first <paramref name="max"/> characters of <paramref name="s"/> that are not control characters.</summary>
    private static string WithoutControls(string s, int max)
    {
        var buffer = max <= 512 ? stackalloc char[max] : new char[max];
        var length = 0;
        foreach (var c in s)
        {
            if (length == max)
            {
                break;
            }

            if (!char.IsControl(c))
            {
                buffer[length++] = c;
            }
        }

        return new string(buffer[..length]);
    }
}
