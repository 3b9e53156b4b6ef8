using System.Globalization;

namespace Telemetry.Core.Samples;

/// <summary>How instants and dates are written in reports.</summary>
internal static class WireFormat
{
    public static string Instant(DateTimeOffset at, bool writesZ, bool withOffset = true)
    {
        var local = at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (!withOffset)
        {
            return local;
        }

        return at.Offset == TimeSpan.Zero && writesZ ? local + "Z" : local + at.ToString("zzz", CultureInfo.InvariantCulture);
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The Server ID as a broken build writes it: cut short, or with the wrong separators.</summary>
    public static string BrokenServerId(string serverId, Random r) => r.Next(3) switch
    {
        0 => serverId[..14],
        1 => serverId.Replace('-', '_'),
        _ => serverId + "-X",
    };
}
