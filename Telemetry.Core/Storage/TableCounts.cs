namespace Telemetry.Core.Storage;

/// <summary>Rows affected per table, for erasure and retention reports.</summary>
public sealed class TableCounts
{
    private readonly SortedDictionary<string, long> counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ByTable => counts;

    public long Total => counts.Values.Sum();

    public long this[string table] => counts.TryGetValue(table, out var n) ? n : 0;

    public void Add(string table, long n)
    {
        if (n != 0)
        {
            counts[table] = this[table] + n;
        }
    }

    public void Add(TableCounts other)
    {
        foreach (var (table, n) in other.counts)
        {
            Add(table, n);
        }
    }

    public override string ToString() =>
        counts.Count == 0 ? "nothing" : string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}"));
}
