namespace Telemetry.Core.Samples;

/// <summary>Draws on <see cref="Random"/> used by the generator; everything derives from the seed, nothing from the clock.</summary>
internal static class RandomExtensions
{
    /// <summary>A seed for an independent stream, mixed from a parent seed and labels (SplitMix64), stable across runs and platforms.</summary>
    public static int Derive(int seed, long a, long b = 0)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ (ulong)a ^ ((ulong)b * 0x9E3779B97F4A7C15UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return unchecked((int)x);
    }

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>An integer between <paramref name="min"/> and <paramref name="max"/>, both included.</summary>
    public static int Between(this Random random, int min, int max) => random.Next(min, max + 1);

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Picks an item with probability proportional to its weight.</summary>
    public static T Weighted<T>(this Random random, IReadOnlyList<(T Item, double Weight)> items)
    {
        var total = 0.0;
        foreach (var (_, w) in items)
        {
            total += w;
        }

        var x = random.NextDouble() * total;
        foreach (var (item, w) in items)
        {
            if (x < w)
            {
                return item;
            }

            x -= w;
        }

        return items[^1].Item;
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Normal(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A UUID (version 4 layout) drawn from the random stream, so corpora are reproducible.</summary>
    public static Guid NextGuid(this Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A Confluence-style Server ID such as <c>B1TW-5NYH-B6LE-ZMQS</c>.</summary>
    public static string NextServerId(this Random random)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        Span<char> id = stackalloc char[19];
        for (var i = 0; i < 19; i++)
        {
            id[i] = i % 5 == 4 ? '-' : Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(id);
    }
}
