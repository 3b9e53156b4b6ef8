using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Samples;
using Telemetry.Core.Stats;
using Telemetry.Core.Storage;

namespace Telemetry.Benchmarks;

/// <summary>
/// The statistics at scale: a database of a generated population (built once with <see cref="PopulationLoader"/>,
/// then reused from a cache folder), each query timed warm in-process, and the whole <c>telemetry stats summary</c>
/// process timed from outside.
/// </summary>
internal static class StatsBenchmark
{
    public const string CacheFolder = "/var/tmp/telemetry-bench";

    private const int Months = 50;
    private const int Seed = 42;
    private const int CliRuns = 5;
    private const int MinRuns = 5;
    private const int MaxSecondsPerQuery = 60;

    /// <summary>What is measured: add a query in one line.</summary>
    private static readonly Query[] Queries =
    [
        new("summary", 50, (q, a) => q.Summary(a)),
        new("features", 50, (q, a) => q.Features(a)),
        new("versions addon", 50, (q, a) => q.Versions(a, VersionOf.Addon)),
        new("versions confluence", 50, (q, a) => q.Versions(a, VersionOf.Confluence)),
        new("trend, 24 months", 500, (q, a) => q.Trend(new DateOnly(a.Date.Year, a.Date.Month, 1).AddMonths(-23), a.Date, a)),
        new("licenses", 50, (q, a) => q.Licenses(a)),
        new("editions", 50, (q, a) => q.Editions(a)),
        new("connections", 500, (q, a) => q.Connections(a)),
        new("features trend, 24 months", 2000, (q, a) => q.FeatureTrend(new DateOnly(a.Date.Year, a.Date.Month, 1).AddMonths(-23), a.Date, a)),
    ];

    /// <summary>
    /// Instances over 50 months that give about this many stored reports (installs are spread over the months and some
    /// instances uninstall: about 34 reports per instance).
    /// </summary>
    private static readonly Dictionary<int, int> InstancesFor = new() { [1_000_000] = 29_500, [100_000] = 2_950 };

    public static int Run(string[] args)
    {
        var reports = Harness.Option(args, "--reports", 1_000_000);
        var runs = Harness.Option(args, "--runs", 21);
        var database = Harness.Text(args, "--db");
        if (!InstancesFor.TryGetValue(reports, out var preset) && !args.Contains("--instances"))
        {
            Console.Error.WriteLine($"--reports must be 1000000 or 100000 (or give --instances N); got {reports}.");
            return 2;
        }

        var options = new CorpusOptions { Instances = Harness.Option(args, "--instances", preset), Months = Harness.Option(args, "--months", Months), Seed = Seed };
        // The schema version is part of the name: a later version of the program builds its own database.
        database ??= Path.Combine(CacheFolder, string.Create(CultureInfo.InvariantCulture,
            $"stats-schema{Migrator.LatestVersion}-{options.Instances}i-{options.Months}m-seed{options.Seed}-{options.LastMonth:yyyy-MM}.db"));
        if (!File.Exists(database))
        {
            Build(database, options);
        }
        else if (SchemaVersion(database) > Migrator.LatestVersion)
        {
            Console.Error.WriteLine($"{database} was migrated by a newer version of the program (schema {SchemaVersion(database)}, this one knows {Migrator.LatestVersion}); delete it or pass another --db.");
            return 1;
        }
        else
        {
            Console.WriteLine($"reusing {database}");
        }

        using var connection = TelemetryDatabase.Open(database, create: false);
        var pragma = Harness.Text(args, "--pragma");
        if (pragma is not null)
        {
            // For trying a setting the CLI does not make (a larger page cache, mmap): in-process figures only.
            connection.Execute("PRAGMA " + pragma);
            Console.WriteLine($"in-process queries with PRAGMA {pragma}");
        }

        var size = new FileInfo(database).Length;
        var counts = connection.QuerySingle<(long Reports, long Instances, long Events)>(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM instances), (SELECT count(*) FROM opt_events)");
        var lastPeriod = DateOnly.ParseExact(connection.ExecuteScalar<string>("SELECT max(period_end) FROM reports")!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var today = lastPeriod.AddDays(15);
        DateOnly[] dates = [today, today.AddMonths(-12)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{database}: {counts.Reports:N0} reports, {counts.Instances:N0} instances, {counts.Events:N0} opt events, {size / 1048576.0:N0} MiB; as of {dates[0]:yyyy-MM-dd} (last period end + 15 days) and {dates[1]:yyyy-MM-dd}"));

        var loadBefore = LoadAverage();
        var queries = new StatisticsQueries(connection);
        var rows = new List<string>();
        foreach (var query in Queries)
        {
            foreach (var date in dates)
            {
                var asOf = new AsOf(date, AsOf.DefaultActiveWindow);
                if (date == dates[0])
                {
                    ExplainOnce(connection, () => query.Run(queries, asOf), query.Name);
                }

                var times = Time(() => query.Run(queries, asOf), runs);
                var median = Harness.Median(times);
                var p95 = Percentile(times, 0.95);
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {query.Name} | {date:yyyy-MM-dd} | {median:N1} | {p95:N1} | {times.Count} | {query.TargetMs} | {Met(median, query.TargetMs)} / {Met(p95, query.TargetMs)} |"));
                Console.WriteLine(rows[^1]);
            }
        }

        connection.Dispose();
        var cli = new List<string>();
        foreach (var date in dates)
        {
            var wall = Harness.Median(Enumerable.Range(0, CliRuns).Select(_ => Cli("stats", "summary", "--db", database, "--format", "json", "--as-of", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
            cli.Add(string.Create(CultureInfo.InvariantCulture, $"| `telemetry stats summary --format json --as-of {date:yyyy-MM-dd}` | {wall:N0} |"));
        }

        var startUp = Harness.Median(Enumerable.Range(0, CliRuns).Select(_ => Cli("--help")));
        cli.Add(string.Create(CultureInfo.InvariantCulture, $"| `telemetry --help` (process start-up alone) | {startUp:N0} |"));

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{counts.Reports:N0} reports, {counts.Instances:N0} instances ({options.Instances:N0} generated over {options.Months} months, seed {options.Seed}), {counts.Events:N0} opt events, {size / 1048576.0:N0} MiB; {runs} warm runs after one warm-up (fewer, at least {MinRuns}, for a query past {MaxSecondsPerQuery} s){(pragma is null ? "" : ", PRAGMA " + pragma)}, on {Harness.Machine()}; load average {loadBefore} before, {LoadAverage()} after"));
        Console.WriteLine();
        Console.WriteLine("| query | as of | median ms | p95 ms | runs | target ms | met (median / p95) |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"| process (median of {CliRuns}) | wall ms |");
        Console.WriteLine("| --- | ---: |");
        cli.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>Loads the population into a file beside the target, renamed into place (with its key) once complete.</summary>
    private static void Build(string database, CorpusOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database))!);
        var building = Path.ChangeExtension(database, ".building.db");
        foreach (var stale in new[] { building, building + "-wal", building + "-shm", Path.ChangeExtension(building, ".key") })
        {
            File.Delete(stale);
        }

        var planned = Stopwatch.StartNew();
        var population = new CorpusGenerator(options).Population();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"planned {population.ReportCount:N0} reports and {population.OptEventCount:N0} opt events of {options.Instances:N0} instances over {options.Months} months in {planned.Elapsed.TotalSeconds:N1} s"));
        LoadCounts counts;
        using (var connection = TelemetryDatabase.Open(building))
        {
            counts = new PopulationLoader(connection, TimeProvider.System).Load(population, p =>
                Console.Write(string.Create(CultureInfo.InvariantCulture, $"\rloaded {p.Reports:N0} reports in {p.Elapsed.TotalSeconds:N0} s ({p.ReportsPerSecond:N0}/s)   ")));
        }

        Console.WriteLine();
        File.Move(Path.ChangeExtension(building, ".key"), Path.ChangeExtension(database, ".key"));
        File.Move(building, database);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {counts.Reports:N0} reports and {counts.OptEvents:N0} opt events in {counts.Elapsed.TotalSeconds:N1} s = {counts.ReportsPerSecond:N0} reports/s; {new FileInfo(database).Length / 1048576.0:N0} MiB"));
    }

    private static int SchemaVersion(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return Migrator.CurrentVersion(connection);
    }

    /// <summary>
    /// One warm-up, then <paramref name="runs"/> timed runs, or fewer (at least <see cref="MinRuns"/>) once
    /// <see cref="MaxSecondsPerQuery"/> have gone by: a query taking seconds does not hold the benchmark for an hour.
    /// </summary>
    private static List<double> Time(Func<object> run, int runs)
    {
        run();
        var times = new List<double>(runs);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < runs && (i < MinRuns || total.Elapsed.TotalSeconds < MaxSecondsPerQuery); i++)
        {
            var watch = Stopwatch.StartNew();
            run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>The 1-minute load average: other work on the machine shows in the figures.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string Met(double ms, int target) => ms < target ? "yes" : "**no**";

    /// <summary>The nearest-rank percentile.</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The end of the month <paramref name="back"/> months before the as-of date's (the as-of date itself for 0).</summary>
    private static AsOf MonthEnd(AsOf asOf, int back)
    {
        if (back == 0)
        {
            return asOf;
        }

        var first = new DateOnly(asOf.Date.Year, asOf.Date.Month, 1).AddMonths(-back);
        return asOf with { Date = first.AddMonths(1).AddDays(-1) };
    }

    /// <summary>
    /// Prints EXPLAIN QUERY PLAN for each statement a query runs, caught with SQLite's trace hook (which gives the
    /// statement with its parameters written in).
    /// </summary>
    private static void ExplainOnce(SqliteConnection connection, Func<object> run, string name)
    {
        var statements = new List<string>();
        SQLitePCL.raw.sqlite3_trace(connection.Handle, (_, sql) => statements.Add(sql), null);
        try
        {
            run();
        }
        finally
        {
            SQLitePCL.raw.sqlite3_trace(connection.Handle, (SQLitePCL.strdelegate_trace?)null, null);
        }

        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"-- {name}: query plans");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sql in statements)
        {
            // A query run for several dates (the trend) repeats its statements with other values: one plan each.
            var plan = new StringBuilder();
            var depth = new Dictionary<long, int> { [0] = 0 };
            foreach (var (id, parent, _, detail) in connection.Query<(long, long, long, string)>("EXPLAIN QUERY PLAN " + sql))
            {
                depth[id] = depth.GetValueOrDefault(parent) + 1;
                plan.Append(' ', 2 * depth[id]).AppendLine(detail);
            }

            if (seen.Add(plan.ToString()))
            {
                text.AppendLine(Shorten(sql)).Append(plan);
            }
        }

        Console.WriteLine(text.ToString());
    }

    /// <summary>The statement on one line, cut to its last 160 characters (its final SELECT).</summary>
    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 160 ? line : "..." + line[^160..];
    }

    /// <summary>The wall time of one run of the built CLI, in milliseconds.</summary>
    private static double Cli(params string[] args)
    {
        var telemetry = Path.Combine(AppContext.BaseDirectory, "telemetry.dll");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("dotnet", [telemetry, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"telemetry {string.Join(' ', args)} exited with {process.ExitCode}: {error.Result}");
        }

        return elapsed;
    }

    private sealed record Query(string Name, int TargetMs, Func<StatisticsQueries, AsOf, object> Run);
}
