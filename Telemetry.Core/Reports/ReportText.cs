namespace Telemetry.Core.Reports;

/// <summary>Free text from reports, made safe to keep and to quote in reasons.</summary>
internal static class ReportText
{
    public const int MaxLength = 256;

    /// <summary>Trims, removes control characters and bounds the length of a text field before it is stored.</summary>
    public static string Sanitize(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > MaxLength)
        {
            trimmed = trimmed[..MaxLength];
        }

        return trimmed.Any(char.IsControl)
            ? new string(trimmed.Where(c => !char.IsControl(c)).ToArray())
            : trimmed;
    }

    /// <summary>At most 40 characters of a value, without control characters, for a reason shown to people.</summary>
    public static string Clip(string? s)
    {
        if (s is null)
        {
            return string.Empty;
        }

        var clean = new string(s.Where(c => !char.IsControl(c)).Take(41).ToArray());
        return clean.Length > 40 ? clean[..40] + "…" : clean;
    }
}
