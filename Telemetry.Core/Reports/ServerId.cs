using System.Diagnostics.CodeAnalysis;

namespace Telemetry.Core.Reports;

/// <summary>
/// A Confluence Server ID: four groups of four characters A-Z or 0-9 joined by '-',
/// normalised by trimming and upper-casing.
/// </summary>
public readonly record struct ServerId
{
    private ServerId(string value) => Value = value;

    /// <summary>The normalised form, for example <c>B1TW-5NYH-B6LE-ZMQS</c>.</summary>
    public string Value { get; }

    public override string ToString() => Value;

    public static bool TryParse(string? text, [NotNullWhen(true)] out ServerId? id)
    {
        id = null;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.Trim();
        if (trimmed.Length != 19)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[19];
        for (var i = 0; i < 19; i++)
        {
            var c = trimmed[i];
            if (i % 5 == 4)
            {
                if (c != '-')
                {
                    return false;
                }

                buffer[i] = c;
                continue;
            }

            if (c is >= 'a' and <= 'z')
            {
                c = (char)(c - 'a' + 'A');
            }

            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9')))
            {
                return false;
            }

            buffer[i] = c;
        }

        id = new ServerId(new string(buffer));
        return true;
    }

    public static ServerId Parse(string text) =>
        TryParse(text, out var id)
            ? id.Value
            : throw new FormatException("A Server ID is four groups of four letters or digits joined by '-', for example B1TW-5NYH-B6LE-ZMQS.");
}
