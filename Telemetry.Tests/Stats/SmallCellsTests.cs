using Telemetry.Core.Stats;

namespace Telemetry.Tests.Stats;

/// <summary>
/// Shareable figures against deliberate re-identification: an attacker who knows the rules ("&lt;5" is 1 to 4, "x" is
/// at least 5, every shown sum is exact) enumerates every table consistent with what is published. A small count is
/// disclosed when all those tables agree on it.
/// </summary>
public sealed class SmallCellsTests
{
    [Test]
    public void OneSmallCellBesideATotal_IsNotRecoverableByTakingTheOthersFromTheTotal()
    {
        long[] cells = [50, 30, 2];
        var p = SmallCells.Protect(cells, [[0, 1, 2]]);

        Assert.That(p.Cells[2], Is.EqualTo(Disclosure.Small));
        Assert.That(p.Cells.Count(d => d != Disclosure.Shown), Is.GreaterThanOrEqualTo(2), "a second cell is hidden");
        Assert.That(p.Sums[0], Is.EqualTo(Disclosure.Shown), "the total stays exact");
        AssertNothingDisclosed(cells, p, [[0, 1, 2]]);
    }

    [Test]
    public void FiveSingleInstances_AreNotRecoverableFromTheirKnownSum()
    {
        // Hiding only the five 1s would publish their sum (45 - 40 = 5): five cells of at least 1 adding up to 5 are all 1.
        long[] cells = [40, 1, 1, 1, 1, 1];
        var p = SmallCells.Protect(cells, [[0, 1, 2, 3, 4, 5]]);

        Assert.That(p.Cells[0], Is.EqualTo(Disclosure.Hidden));
        AssertNothingDisclosed(cells, p, [[0, 1, 2, 3, 4, 5]]);
    }

    [Test]
    public void TwoCellsOfFiveAndOne_HideTheTotalRatherThanTheSmallCell()
    {
        // 6 = x + <5 with x >= 5 pins both: there is no other cell to hide, so the total goes.
        long[] cells = [5, 1];
        var p = SmallCells.Protect(cells, [[0, 1]]);

        Assert.That(p.Sums[0], Is.Not.EqualTo(Disclosure.Shown));
        AssertNothingDisclosed(cells, p, [[0, 1]]);
    }

    [Test]
    public void SubTotals_AreProtectedToo()
    {
        // server 20; datacenter: 1 node 3, 2 nodes 10; the datacenter sub-total 13 would give away the 3.
        long[] cells = [20, 3, 10];
        IReadOnlyList<IReadOnlyList<int>> sums = [[0, 1, 2], [1, 2]];
        var p = SmallCells.Protect(cells, sums);

        Assert.That(p.Cells[1], Is.EqualTo(Disclosure.Small));
        AssertNothingDisclosed(cells, p, sums);
    }

    [Test]
    public void CumulativeCounts_DoNotGiveAwayTheSmallVersionBetweenTwoOfThem()
    {
        // At least 4.0: 72, at least 4.1: 70 would give 4.0 = 2.
        long[] cells = [2, 30, 40];
        IReadOnlyList<IReadOnlyList<int>> sums = [[0, 1, 2]];
        IReadOnlyList<IReadOnlyList<int>> cumulative = [[0, 1, 2], [1, 2], [2]];
        var p = SmallCells.Protect(cells, sums);
        var further = SmallCells.ProtectFurtherSums(cells, p, sums, cumulative);

        var published = sums.Concat(cumulative.Where((_, k) => further[k] == Disclosure.Shown)).ToList();
        AssertNothingDisclosed(cells, p with { Sums = [.. p.Sums, .. further] }, [.. sums, .. cumulative]);
        Assert.That(published, Has.Count.GreaterThan(1), "the cumulative counts that give nothing away are still shown");
    }

    [Test]
    public void Adoption_HidesAFeatureThatAllButAFewUse()
    {
        // 48 of 50 use it: the 2 that do not would follow from the base.
        var p = SmallCells.Protect([48, 2], [[0, 1]], unpublished: [1], smallestShownCell: 0);

        Assert.That(p.Cells[0], Is.EqualTo(Disclosure.Hidden));
        Assert.That(p.Sums[0], Is.EqualTo(Disclosure.Shown));
    }

    [Test]
    public void Adoption_ShowsAFeatureEveryoneUses()
    {
        var p = SmallCells.Protect([50, 0], [[0, 1]], unpublished: [1], smallestShownCell: 0);
        Assert.That(p.Cells[0], Is.EqualTo(Disclosure.Shown));
    }

    [Test]
    public void TotalBelowFive_IsItselfSmall()
    {
        long[] cells = [3, 1];
        var p = SmallCells.Protect(cells, [[0, 1]]);
        Assert.That(p.Sums[0], Is.EqualTo(Disclosure.Small));
        Assert.That(p.Cells, Is.All.EqualTo(Disclosure.Small));
    }

    [Test]
    public void RandomTables_NeverDiscloseASmallCell_NeverLie_AndKeepTotalsOfFiveOrMore()
    {
        var random = new Random(20261129);
        var totalsKept = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(1, 7);
            var cells = Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? (long)random.Next(5, 30) : random.Next(1, 6)).ToArray();
            IReadOnlyList<IReadOnlyList<int>> sums = [[.. Enumerable.Range(0, n)]];
            var p = SmallCells.Protect(cells, sums);

            for (var i = 0; i < n; i++)
            {
                var expected = p.Cells[i] switch
                {
                    Disclosure.Small => cells[i] < 5,
                    _ => cells[i] >= 5,
                };
                Assert.That(expected, $"cell {i} of [{string.Join(", ", cells)}] is {p.Cells[i]}");
            }

            AssertNothingDisclosed(cells, p, sums);
            if (cells.Sum() >= 5 && p.Sums[0] == Disclosure.Shown)
            {
                totalsKept++;
            }
        }

        Assert.That(totalsKept, Is.GreaterThan(200), "totals of 5 or more stay exact except in the rare tables where only hiding them protects a cell");
    }

    /// <summary>
    /// Enumerates every table the attacker cannot tell apart from the published one and fails when a small cell has
    /// the same value in all of them.
    /// </summary>
    internal static void AssertNothingDisclosed(IReadOnlyList<long> cells, SmallCells.Protection p, IReadOnlyList<IReadOnlyList<int>> sums)
    {
        var published = sums.Select((s, k) => (Members: s, Value: s.Sum(i => cells[i]), Shown: p.Sums[k] == Disclosure.Shown))
            .Where(s => s.Shown).ToList();
        var cap = cells.Sum() + 5;
        var ranges = cells.Select((v, i) => p.Cells[i] switch
        {
            Disclosure.Shown => (Low: v, High: v),
            Disclosure.Small => (Low: 1L, High: 4L),
            _ => (Low: 5L, High: cap),
        }).ToArray();

        var seen = cells.Select(_ => new HashSet<long>()).ToArray();
        var current = new long[cells.Count];
        var solutions = 0;

        void Walk(int i)
        {
            if (i == cells.Count)
            {
                if (published.All(s => s.Members.Sum(m => current[m]) == s.Value))
                {
                    solutions++;
                    for (var k = 0; k < cells.Count; k++)
                    {
                        seen[k].Add(current[k]);
                    }
                }

                return;
            }

            for (var v = ranges[i].Low; v <= ranges[i].High; v++)
            {
                current[i] = v;

                // Prune: a shown sum whose members are all decided must already hold.
                if (published.Any(s => s.Members.All(m => m <= i) && s.Members.Sum(m => current[m]) != s.Value))
                {
                    continue;
                }

                Walk(i + 1);
            }
        }

        Walk(0);
        Assert.That(solutions, Is.GreaterThan(0), "the true table is among the candidates");
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] < 5)
            {
                Assert.That(seen[i], Has.Count.GreaterThan(1), $"the small cell {i} of [{string.Join(", ", cells)}] is disclosed: only {string.Join(", ", seen[i])} fits");
            }
        }
    }
}
