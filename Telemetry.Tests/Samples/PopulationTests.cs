using System.Text.Json;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;
using Telemetry.Core.Samples;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Samples;

/// <summary>The ground truth streamed without mail, and the loader that writes it straight into a database.</summary>
public sealed class PopulationTests
{
    /// <summary>Opt-outs, opt-ins, uninstalls and both formats, small enough to ingest as mail.</summary>
    private static readonly CorpusOptions Options = new()
    {
        Instances = 120,
        Months = 14,
        Seed = 2027,
        OptOutRate = 0.25,
        UninstallRate = 0.2,
    };

    private static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Population_IsTheGroundTruthOfGenerate()
    {
        var corpus = new CorpusGenerator(Options).Generate();
        var population = new CorpusGenerator(Options).Population();
        var streamed = population.ToList();

        var reports = streamed.Where(r => !r.Kind.IsNotice()).ToList();
        var events = streamed.Where(r => r.Kind.IsNotice()).Select(GeneratedOptEvent.Of).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(Json), Is.EqualTo(corpus.AcceptedReports.Select(Json)));
            Assert.That(events, Is.EqualTo(corpus.OptEvents));
            Assert.That(population.ReportCount, Is.EqualTo(corpus.AcceptedReports.Count));
            Assert.That(population.OptEventCount, Is.EqualTo(corpus.OptEvents.Count));
            Assert.That(events.Count(e => e.Kind == ReportKind.OptOut), Is.GreaterThan(5));
            Assert.That(events.Count(e => e.Kind == ReportKind.OptIn), Is.GreaterThan(2));
        });
    }

    [Test]
    public void Population_IsInOrderOfGeneration_AndTheSameWhenEnumeratedAgain()
    {
        var population = new CorpusGenerator(Options).Population();
        var instants = population.Select(r => r.GeneratedAt.UtcTicks).ToList();

        Assert.That(instants, Is.Ordered);
        Assert.That(population.Select(Json), Is.EqualTo(population.Select(Json)));
    }

    [Test]
    public void Loader_LeavesWhatIngestingTheMailLeaves()
    {
        using var ingested = new TestStore(Now);
        ingested.Ingest(new CorpusGenerator(Options).Generate().Messages.Select(m => TestMail.Raw(m.Content, m.Name)));

        // The same key file, so that the keyed hashes of the suppression list can be compared too.
        using var folder = new TempDirectory();
        using var loaded = TelemetryDatabase.Open(folder.File("loaded.db"), keyPath: SuppressionKey.DefaultPathFor(ingested.DatabasePath));
        var commits = new List<LoadCounts>();
        var counts = new PopulationLoader(loaded, new FakeTimeProvider(Now)) { BatchSize = 97 }
            .Load(new CorpusGenerator(Options).Population(), commits.Add);

        Assert.Multiple(() =>
        {
            foreach (var (name, sql) in Comparisons)
            {
                var expected = Rows(ingested.Connection, sql);
                Assert.That(Rows(loaded, sql), Is.EqualTo(expected), name);
                Assert.That(expected, Is.Not.Empty, name);
            }

            Assert.That(counts.Reports, Is.EqualTo(ingested.Count("reports")));
            Assert.That(counts.OptEvents, Is.EqualTo(ingested.Count("opt_events")));
            Assert.That(commits, Has.Count.EqualTo((int)Math.Ceiling((counts.Reports + counts.OptEvents) / 97.0)));
            Assert.That(commits[^1].Reports, Is.EqualTo(counts.Reports));
            Assert.That(commits.Select(c => c.Reports), Is.Ordered);
        });
    }

    [Test]
    public void Loader_RefusesADatabaseThatHoldsReports()
    {
        using var store = new TestStore(Now);
        store.Ingest(new CorpusGenerator(new CorpusOptions { Instances = 3, Months = 2 }).Generate().Messages.Select(m => TestMail.Raw(m.Content, m.Name)));
        var before = store.Count("reports");

        var e = Assert.Throws<InvalidOperationException>(() =>
            new PopulationLoader(store.Connection, store.Time).Load(new CorpusGenerator(Options).Population()));

        Assert.That(e!.Message, Does.Contain("already holds"));
        Assert.That(store.Count("reports"), Is.EqualTo(before));
    }

    /// <summary>Everything but row ids, reception times and message references (the loader reads no mail).</summary>
    private static readonly (string Name, string Sql)[] Comparisons =
    [
        ("reports", """
            SELECT report_key, report_id, server_id, kind, format_version, generated_at, generated_offset_minutes,
                   period_start, period_end, confluence_version, confluence_edition, cluster_nodes, user_count,
                   confluence_database, addon_version, license_type, license_sen, license_max_users, license_expires_on,
                   active_users, spreadsheets, queries, pages_with_macros, contact_email, contact_name
            FROM reports ORDER BY report_key
            """),
        ("instances", """
            SELECT i.server_id, i.first_report_at, r.report_key, i.latest_generated_at, i.reports
            FROM instances i JOIN reports r ON r.id = i.latest_report_id ORDER BY i.server_id
            """),
        ("report_features", "SELECT r.report_key, f.name, f.count FROM report_features f JOIN reports r ON r.id = f.report_id ORDER BY 1, 2"),
        ("report_connections", "SELECT r.report_key, c.type, c.count FROM report_connections c JOIN reports r ON r.id = c.report_id ORDER BY 1, 2"),
        ("report_errors", "SELECT r.report_key, e.name, e.count FROM report_errors e JOIN reports r ON r.id = e.report_id ORDER BY 1, 2"),
        ("opt_events", "SELECT event_hash, server_hash, kind, generated_at, source, reason, recorded_at FROM opt_events ORDER BY event_hash"),
        ("audit_log", "SELECT at, action, server_hash, details FROM audit_log ORDER BY server_hash, action, details"),
    ];

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetString(i))));
        }

        return rows;
    }

    private static string Json(Report report) => JsonSerializer.Serialize(report);
}
