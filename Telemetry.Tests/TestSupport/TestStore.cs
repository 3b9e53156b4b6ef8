using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Reports;
using Telemetry.Core.Storage;

namespace Telemetry.Tests.TestSupport;

/// <summary>A fresh database file in a temp folder, with an ingestor and a fake clock.</summary>
public sealed class TestStore : IDisposable
{
    private readonly TempDirectory directory = new();

    public TestStore(DateTimeOffset? now = null)
    {
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));
        DatabasePath = directory.File("telemetry.db");
        Connection = TelemetryDatabase.Open(DatabasePath);
        Ingestor = new Ingestor(Connection, new ReportExtractor(ExtractionLimits.Default), Time);
    }

    public FakeTimeProvider Time { get; }

    public string DatabasePath { get; }

    public SqliteConnection Connection { get; }

    public Ingestor Ingestor { get; }

    public string Folder => directory.Path;

    public IngestSummary Ingest(params byte[][] messages) =>
        Ingestor.Ingest(messages.Select((m, i) => TestMail.Raw(m, "message " + i)));

    public IngestSummary Ingest(IEnumerable<RawMessage> messages) => Ingestor.Ingest(messages);

    public MessageResult IngestOne(byte[] message)
    {
        MessageResult? result = null;
        Ingestor.Ingest([TestMail.Raw(message)], batch => result = batch.Single());
        return result!;
    }

    public long Count(string table) => Connection.ExecuteScalar<long>($"SELECT count(*) FROM {table}");

    /// <summary>Everything a statistic could depend on, as text, for comparing two databases.</summary>
    public string Snapshot()
    {
        var reports = Connection.Query<string>(
            """
            SELECT report_key || '|' || server_id || '|' || generated_at || '|' || coalesce(user_count, '') || '|' || coalesce(active_users, '')
            FROM reports ORDER BY report_key
            """);
        var instances = Connection.Query<string>(
            """
            SELECT i.server_id || '|' || r.report_key || '|' || i.reports || '|' || i.first_report_at
            FROM instances i JOIN reports r ON r.id = i.latest_report_id ORDER BY i.server_id
            """);
        var features = Connection.Query<string>(
            """SELECT r.report_key || '|' || f.name || '|' || f.count FROM report_features f JOIN reports r ON r.id = f.report_id ORDER BY 1""");
        var events = Connection.Query<string>("""SELECT kind || '|' || generated_at || '|' || source FROM opt_events ORDER BY 1""");
        return string.Join('\n', reports.Concat(instances).Concat(features).Concat(events));
    }

    public void Dispose()
    {
        Connection.Dispose();
        directory.Dispose();
    }
}
