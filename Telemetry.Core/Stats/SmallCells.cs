namespace Telemetry.Core.Stats;

/// <summary>
/// Small-cell suppression for figures that are shared: a count of fewer than 5 instances is published as "&lt;5", and
/// more figures are hidden ("x") until no hidden count can be worked out from the ones that are shown.
/// </summary>
/// <remarks>
/// <para>
/// The check plays the reader who knows these rules: a "&lt;5" is between 0 (1 when only present rows are listed) and
/// 4, an "x" is at least 5, and every published sum (a total, a sub-total, a cumulative count) is exact. From the
/// published sums and the differences of nested ones it narrows the interval of every hidden cell until nothing
/// moves. A small count whose interval has shrunk to a single value is disclosed: the smallest shown cell of a sum
/// that pins it is hidden too, and the check runs again. Only when a sum has no shown cell left is the sum itself
/// hidden, which happens when the sum could otherwise be split into its small parts.
/// </para>
/// <para>
/// Cells that are never shown but follow from what is (the instances that do not use a feature: the base minus
/// those that do) are "unpublished": they must not be worked out either when they hold 1 to 4 instances.
/// </para>
/// </remarks>
public static class SmallCells
{
    /// <summary>The smallest count that may be shown.</summary>
    public const long Threshold = 5;

    private const long Unbounded = 1L << 50;

    /// <summary>A count with no published relation to others: hidden as "&lt;5" below the threshold.</summary>
    public static Figure Count(long value, bool shareable) =>
        shareable && value < Threshold ? new Figure(value, Disclosure.Small) : new Figure(value);

    /// <summary>A figure computed over some instances (their users): hidden as "x" when they are fewer than 5.</summary>
    public static Figure Over(long value, long instances, bool shareable) =>
        shareable && instances < Threshold ? new Figure(value, Disclosure.Hidden) : new Figure(value);

    /// <summary>
    /// Decides which cells and sums of a table may be shown.
    /// </summary>
    /// <param name="cells">The counts of the table's cells.</param>
    /// <param name="sums">The published sums, each as the indexes of the cells it adds up.</param>
    /// <param name="unpublished">Indexes of cells that are never shown (they follow from the sums).</param>
    /// <param name="smallestShownCell">0 when a listed cell may be zero, 1 when only present rows are listed.</param>
    public static Protection Protect(
        IReadOnlyList<long> cells,
        IReadOnlyList<IReadOnlyList<int>> sums,
        IReadOnlyCollection<int>? unpublished = null,
        long smallestShownCell = 1)
    {
        unpublished ??= [];
        var cellState = new Disclosure[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            cellState[i] = cells[i] < Threshold && !unpublished.Contains(i) ? Disclosure.Small : Disclosure.Shown;
        }

        var sumValues = sums.Select(s => s.Sum(i => cells[i])).ToArray();
        var sumState = sumValues.Select(v => v < Threshold ? Disclosure.Small : Disclosure.Shown).ToArray();
        var table = new Table(cells, sums, sumValues, unpublished, smallestShownCell);

        // Each round hides one more figure, so this ends within cells + sums rounds.
        for (var round = 0; round <= cells.Count + sums.Count; round++)
        {
            var disclosed = table.Disclosed(cellState, sumState);
            if (disclosed is null)
            {
                break;
            }

            var (cell, pinning) = disclosed.Value;
            var candidates = pinning
                .SelectMany(c => c)
                .Where(i => i != cell && cellState[i] == Disclosure.Shown && !unpublished.Contains(i))
                .Distinct()
                .OrderBy(i => cells[i])
                .ToList();
            if (candidates.Count > 0)
            {
                cellState[candidates[0]] = Disclosure.Hidden;
                continue;
            }

            // No shown cell left to hide beside it: hide the smallest shown sum that holds the cell.
            var sum = Enumerable.Range(0, sums.Count)
                .Where(s => sumState[s] == Disclosure.Shown && sums[s].Contains(cell))
                .OrderBy(s => sumValues[s])
                .First();
            sumState[sum] = Disclosure.Hidden;
        }

        return new Protection(cellState, sumState);
    }

    /// <summary>
    /// Decides which of some further sums (cumulative counts, in order) may be shown on top of a table already
    /// protected: each is shown only when, with the sums shown so far, no small count can be worked out.
    /// </summary>
    public static Disclosure[] ProtectFurtherSums(
        IReadOnlyList<long> cells,
        Protection protection,
        IReadOnlyList<IReadOnlyList<int>> sums,
        IReadOnlyList<IReadOnlyList<int>> furtherSums,
        IReadOnlyCollection<int>? unpublished = null,
        long smallestShownCell = 1)
    {
        unpublished ??= [];
        var all = sums.Concat(furtherSums).ToList();
        var values = all.Select(s => s.Sum(i => cells[i])).ToArray();
        var table = new Table(cells, all, values, unpublished, smallestShownCell);
        var state = protection.Sums.Concat(furtherSums.Select(_ => Disclosure.Hidden)).ToArray();
        var result = new Disclosure[furtherSums.Count];
        for (var k = 0; k < furtherSums.Count; k++)
        {
            var index = sums.Count + k;
            if (values[index] < Threshold)
            {
                result[k] = Disclosure.Small;
                continue;
            }

            state[index] = Disclosure.Shown;
            if (table.Disclosed(protection.Cells.ToArray(), state) is not null)
            {
                state[index] = Disclosure.Hidden;
            }

            result[k] = state[index];
        }

        return result;
    }

    /// <summary>What may be shown of each cell and each sum.</summary>
    public sealed record Protection(IReadOnlyList<Disclosure> Cells, IReadOnlyList<Disclosure> Sums)
    {
        public Figure Cell(int index, long value) => new(value, Cells[index]);

        public Figure Sum(int index, long value) => new(value, Sums[index]);
    }

    /// <summary>The reader's view of a table: what each hidden cell can be, given what is shown.</summary>
    private sealed class Table(
        IReadOnlyList<long> cells,
        IReadOnlyList<IReadOnlyList<int>> sums,
        IReadOnlyList<long> sumValues,
        IReadOnlyCollection<int> unpublished,
        long smallestShownCell)
    {
        /// <summary>
        /// A small count the reader can work out, with the published relations that pin it; null when none.
        /// </summary>
        public (int Cell, List<IReadOnlyList<int>> Pinning)? Disclosed(Disclosure[] cellState, Disclosure[] sumState)
        {
            var relations = new List<(IReadOnlyList<int> Members, long Value)>();
            for (var s = 0; s < sums.Count; s++)
            {
                if (sumState[s] == Disclosure.Shown)
                {
                    relations.Add((sums[s], sumValues[s]));
                }
            }

            // Differences of nested sums are relations too (a cumulative count minus the next).
            var direct = relations.Count;
            for (var a = 0; a < direct; a++)
            {
                for (var b = 0; b < direct; b++)
                {
                    if (a != b && relations[a].Members.Count > relations[b].Members.Count
                        && relations[b].Members.All(relations[a].Members.Contains))
                    {
                        var rest = relations[a].Members.Except(relations[b].Members).ToList();
                        relations.Add((rest, relations[a].Value - relations[b].Value));
                    }
                }
            }

            var low = new long[cells.Count];
            var high = new long[cells.Count];
            for (var i = 0; i < cells.Count; i++)
            {
                (low[i], high[i]) = unpublished.Contains(i) ? (0, Unbounded) : cellState[i] switch
                {
                    Disclosure.Shown => (cells[i], cells[i]),
                    Disclosure.Small => (smallestShownCell, Threshold - 1),
                    _ => (Threshold, Unbounded),
                };
            }

            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (members, value) in relations)
                {
                    var sumLow = members.Sum(i => low[i]);
                    var sumHigh = members.Sum(i => Math.Min(high[i], Unbounded));
                    foreach (var i in members)
                    {
                        var newLow = Math.Max(low[i], value - (sumHigh - high[i]));
                        var newHigh = Math.Min(high[i], value - (sumLow - low[i]));
                        if (newLow != low[i] || newHigh != high[i])
                        {
                            (low[i], high[i]) = (newLow, newHigh);
                            changed = true;
                        }
                    }
                }
            }

            for (var i = 0; i < cells.Count; i++)
            {
                var sensitive = unpublished.Contains(i) ? cells[i] is > 0 and < Threshold : cellState[i] == Disclosure.Small;
                if (sensitive && low[i] == high[i])
                {
                    return (i, relations.Where(r => r.Members.Contains(i)).Select(r => r.Members).ToList());
                }
            }

            return null;
        }
    }
}
