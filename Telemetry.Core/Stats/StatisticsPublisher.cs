using Microsoft.Data.Sqlite;

using Telemetry.Core.Health;

namespace Telemetry.Core.Stats;

/// <summary>Rows of a distribution with the total they share.</summary>
public sealed record Distribution<T>(Figure Total, IReadOnlyList<T> Rows);

/// <summary>
/// The statistics as they may be published: everything as it is, or, when <paramref name="shareable"/>, with counts
/// of fewer than 5 instances hidden and whatever would let them be worked out hidden too (<see cref="SmallCells"/>).
/// </summary>
public sealed class StatisticsPublisher(SqliteConnection connection, bool shareable)
{
    private readonly StatisticsQueries _queries = new(connection);

    public bool Shareable => shareable;

    public StatisticsQueries Queries => _queries;

    public PublishedSummary Summary(AsOf asOf)
    {
        var s = _queries.Summary(asOf);
        return new PublishedSummary(
            s.AsOf,
            s.ActiveWindowDays,
            SmallCells.Count(s.ActiveInstances, shareable),
            SmallCells.Count(s.SilentInstances, shareable),
            SmallCells.Count(s.OptedOutInstances, shareable),
            SmallCells.Over(s.Users, s.ActiveInstances, shareable),
            SmallCells.Over(s.ActiveUsers, s.ActiveInstances, shareable));
    }

    public IReadOnlyList<TrendPoint> Trend(DateOnly from, DateOnly to, AsOf asOf) =>
        _queries.Trend(from, to, asOf)
            .Select(m => new TrendPoint(
                m.Month,
                SmallCells.Count(m.ActiveInstances, shareable),
                SmallCells.Over(m.Users, m.ActiveInstances, shareable),
                SmallCells.Over(m.ActiveUsers, m.ActiveInstances, shareable),
                SmallCells.Count(m.NewInstallations, shareable),
                SmallCells.Count(m.WentSilent, shareable),
                SmallCells.Count(m.OptedOut, shareable)))
            .ToList();

    /// <summary>Feature adoption; the total is the base (active instances whose latest report is monthly).</summary>
    public Distribution<PublishedFeature> Features(AsOf asOf)
    {
        var (monthly, adoption) = _queries.Adoption(asOf);
        var rows = adoption.Select(f => (f.Feature, f.Instances)).ToList();
        var (total, figures) = Adoption(monthly, rows.Select(r => r.Instances).ToList());
        return new Distribution<PublishedFeature>(
            total,
            [.. rows.Select((r, i) => new PublishedFeature(r.Feature, figures[i], ShareOf(figures[i], total)))]);
    }

    public IReadOnlyList<FeatureTrendPoint> FeatureTrend(DateOnly from, DateOnly to, AsOf asOf) =>
        _queries.FeatureTrend(from, to, asOf)
            .GroupBy(r => r.Month)
            .SelectMany(month =>
            {
                var rows = month.ToList();
                var (total, figures) = Adoption(rows[0].Base, rows.Select(r => r.Instances).ToList());
                return rows.Select((r, i) => new FeatureTrendPoint(r.Month, r.Feature, figures[i], ShareOf(figures[i], total), total));
            })
            .ToList();

    /// <summary>Versions of active instances, in version order, with the instances running each version or a later one.</summary>
    public Distribution<VersionRow> Versions(AsOf asOf, VersionOf of)
    {
        var rows = _queries.Versions(asOf, of);
        var cells = rows.Select(r => r.Instances).ToList();
        int[] all = [.. Enumerable.Range(0, cells.Count)];
        IReadOnlyList<IReadOnlyList<int>> sums = [all];
        var protection = Protect(cells, sums);
        var total = protection.Sum(0, cells.Sum());

        // "At least this version": the version itself and every later one (versions that parse, in order).
        var versions = Enumerable.Range(0, rows.Count).Where(i => StatisticsQueries.VersionOrder.Parse(rows[i].Version) is not null).ToList();
        var suffixes = versions.Select((_, k) => (IReadOnlyList<int>)versions.Skip(k).ToList()).ToList();
        var atLeast = shareable
            ? SmallCells.ProtectFurtherSums(cells, protection, sums, suffixes)
            : [.. suffixes.Select(_ => Disclosure.Shown)];
        var result = new List<VersionRow>();
        for (var i = 0; i < rows.Count; i++)
        {
            var figure = protection.Cell(i, cells[i]);
            var k = versions.IndexOf(i);
            Figure? cumulative = k < 0 ? null : new Figure(suffixes[k].Sum(j => cells[j]), atLeast[k]);
            result.Add(new VersionRow(rows[i].Version, figure, ShareOf(figure, total), cumulative, cumulative is { } c ? ShareOf(c, total) : null));
        }

        return new Distribution<VersionRow>(total, result);
    }

    /// <summary>Active instances and their users per license type.</summary>
    public Distribution<LicenseRow> Licenses(AsOf asOf)
    {
        var rows = _queries.Licenses(asOf);
        var cells = rows.Select(r => r.Instances).ToList();
        var protection = Protect(cells, [[.. Enumerable.Range(0, cells.Count)]]);
        var total = protection.Sum(0, cells.Sum());
        var instances = rows.Select((r, i) => protection.Cell(i, r.Instances)).ToList();
        var users = UsersOf(rows.Select(r => r.Users).ToList(), instances);
        return new Distribution<LicenseRow>(
            total,
            [.. rows.Select((r, i) => new LicenseRow(r.LicenseType, instances[i], ShareOf(instances[i], total), users[i]))]);
    }

    /// <summary>Per database type: instances using it (a share of all active instances) and their connections.</summary>
    public Distribution<ConnectionRow> Connections(AsOf asOf)
    {
        var active = _queries.Active(asOf).Instances;
        var rows = _queries.Connections(asOf);
        var (total, figures) = Adoption(active, rows.Select(r => r.Instances).ToList());
        return new Distribution<ConnectionRow>(
            total,
            [.. rows.Select((r, i) => new ConnectionRow(r.Type, figures[i], ShareOf(figures[i], total), figures[i].IsShown ? new Figure(r.Connections) : new Figure(r.Connections, Disclosure.Hidden)))]);
    }

    /// <summary>
    /// Editions: server, datacenter (with one row per cluster size under it), then the others and unknown.
    /// </summary>
    public Distribution<EditionRow> Editions(AsOf asOf)
    {
        var counts = _queries.Editions(asOf);

        // Cells: one per edition other than datacenter, one per datacenter cluster size (0: not given).
        var cells = new List<(string Edition, int? Nodes, long Instances)>();
        foreach (var group in counts.GroupBy(c => c.Edition))
        {
            if (group.Key == "datacenter")
            {
                cells.AddRange(group.GroupBy(c => c.ClusterNodes ?? 0).OrderBy(g => g.Key).Select(g => ("datacenter", (int?)g.Key, g.Sum(c => c.Instances))));
            }
            else
            {
                cells.Add((group.Key, null, group.Sum(c => c.Instances)));
            }
        }

        var values = cells.Select(c => c.Instances).ToList();
        var datacenter = Enumerable.Range(0, cells.Count).Where(i => cells[i].Edition == "datacenter").ToList();
        IReadOnlyList<IReadOnlyList<int>> sums = datacenter.Count > 0
            ? [[.. Enumerable.Range(0, cells.Count)], datacenter]
            : [[.. Enumerable.Range(0, cells.Count)]];
        var protection = Protect(values, sums);
        var total = protection.Sum(0, values.Sum());

        var rows = new List<EditionRow>();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i == datacenter.FirstOrDefault(-1))
            {
                var dc = protection.Sum(1, datacenter.Sum(j => values[j]));
                rows.Add(new EditionRow("datacenter", null, dc, ShareOf(dc, total)));
            }

            var figure = protection.Cell(i, values[i]);
            rows.Add(new EditionRow(cells[i].Edition, cells[i].Nodes, figure, ShareOf(figure, total)));
        }

        return new Distribution<EditionRow>(total, rows);
    }

    /// <summary>Everything the HTML report shows: 24 months of trend up to the as-of date, and the open flags unless shareable.</summary>
    public ReportData Report(AsOf asOf, IReadOnlyList<HealthFlag>? openFlags)
    {
        var month = new DateOnly(asOf.Date.Year, asOf.Date.Month, 1);
        var features = Features(asOf);
        return new ReportData(
            asOf.Date,
            (int)asOf.ActiveWindow.TotalDays,
            shareable,
            Summary(asOf),
            Trend(month.AddMonths(-23), month, asOf),
            features.Total,
            features.Rows,
            Versions(asOf, VersionOf.Addon).Rows,
            Versions(asOf, VersionOf.Confluence).Rows,
            Licenses(asOf).Rows,
            Editions(asOf).Rows,
            Connections(asOf).Rows,
            shareable ? null : openFlags ?? []);
    }

    private static double? ShareOf(Figure figure, Figure total) =>
        figure.IsShown && total.IsShown ? figure.ShareOf(total.Value) : null;

    private SmallCells.Protection Protect(IReadOnlyList<long> cells, IReadOnlyList<IReadOnlyList<int>> sums) =>
        shareable
            ? SmallCells.Protect(cells, sums)
            : new SmallCells.Protection([.. cells.Select(_ => Disclosure.Shown)], [.. sums.Select(_ => Disclosure.Shown)]);

    /// <summary>
    /// Counts of a base that each row takes a part of (instances using a feature, a database type): the part and the
    /// rest of the base (never shown, but the base minus the part) are both protected.
    /// </summary>
    private (Figure Total, IReadOnlyList<Figure> Rows) Adoption(long baseCount, IReadOnlyList<long> parts)
    {
        if (!shareable)
        {
            return (new Figure(baseCount), [.. parts.Select(p => new Figure(p))]);
        }

        var figures = new List<Figure>();
        var totalState = baseCount < SmallCells.Threshold ? Disclosure.Small : Disclosure.Shown;
        foreach (var part in parts)
        {
            var p = SmallCells.Protect([part, baseCount - part], [[0, 1]], unpublished: [1], smallestShownCell: 0);
            figures.Add(p.Cell(0, part));
            if (totalState == Disclosure.Shown && p.Sums[0] != Disclosure.Shown)
            {
                totalState = p.Sums[0];
            }
        }

        return (new Figure(baseCount, totalState), figures);
    }

    /// <summary>
    /// Users of the instances of each row: hidden with the row's instances, and, when that leaves a single one hidden,
    /// with the smallest other one too (the total of users is published in the summary).
    /// </summary>
    private List<Figure> UsersOf(List<long> users, List<Figure> instances)
    {
        var result = users.Select((u, i) => instances[i].IsShown || !shareable ? new Figure(u) : new Figure(u, Disclosure.Hidden)).ToList();
        if (result.Count(f => !f.IsShown) == 1)
        {
            var other = Enumerable.Range(0, result.Count).Where(i => result[i].IsShown).OrderBy(i => users[i]).FirstOrDefault(-1);
            if (other >= 0)
            {
                result[other] = new Figure(users[other], Disclosure.Hidden);
            }
        }

        return result;
    }
}
