using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Storage;

public sealed class MigrationTests
{
    [Test]
    public void EveryMigration_AppliesOnTheSchemaBeforeIt_AndRecordsItsVersion()
    {
        using var directory = new TempDirectory();
        using var connection = new SqliteConnection($"Data Source={directory.File("m.db")};Pooling=False");
        connection.Open();
        var key = Telemetry.Core.Privacy.SuppressionKey.LoadOrCreate(directory.File("m.key"));
        connection.CreateFunction("server_hmac", (string text) => key.Hash(text), isDeterministic: true);
        Assert.That(Migrator.Migrations, Is.Not.Empty);
        foreach (var (version, name, _) in Migrator.Migrations)
        {
            Assert.That(Migrator.Migrate(connection, version), Is.EqualTo(1), name);
            Assert.That(Migrator.CurrentVersion(connection), Is.EqualTo(version), name);
            Assert.That(connection.ExecuteScalar<string>("PRAGMA integrity_check"), Is.EqualTo("ok"), name);
        }
    }

    [Test]
    public void Migration9_FillsSupersessionAndFeatureUse_ForReportsStoredBefore()
    {
        using var directory = new TempDirectory();
        using var connection = new SqliteConnection($"Data Source={directory.File("m.db")};Pooling=False");
        connection.Open();
        var key = Telemetry.Core.Privacy.SuppressionKey.LoadOrCreate(directory.File("m.key"));
        connection.CreateFunction("server_hmac", (string text) => key.Hash(text), isDeterministic: true);
        Migrator.Migrate(connection, 8);
        connection.Execute(
            """
            INSERT INTO reports (id, report_key, server_id, kind, format_version, generated_at, generated_offset_minutes, received_at)
            VALUES (1, 'k1', 'AAAA-AAAA-AAAA-AAAA', 'install', 2, '2026-01-01T00:00:00.000Z', 0, '2026-01-01T00:00:00.000Z'),
                   (2, 'k3', 'AAAA-AAAA-AAAA-AAAA', 'monthly', 2, '2026-02-01T00:00:00.000Z', 0, '2026-02-01T00:00:00.000Z'),
                   (3, 'k2', 'AAAA-AAAA-AAAA-AAAA', 'monthly', 2, '2026-02-01T00:00:00.000Z', 0, '2026-02-01T00:00:00.000Z'),
                   (4, 'k4', 'BBBB-BBBB-BBBB-BBBB', 'monthly', 2, '2026-03-01T00:00:00.000Z', 0, '2026-03-01T00:00:00.000Z');
            INSERT INTO report_features (report_id, name, count) VALUES (2, 'formulas', 3), (2, 'charts', 0), (2, 'pivot', 1);
            """);

        Migrator.Migrate(connection, 9);

        var rows = connection.Query<(long Id, string? At, long? After, string Use)>(
            "SELECT id, superseded_at, superseded_after_s, feature_use FROM reports ORDER BY id").ToList();
        Assert.That(rows, Is.EqualTo(new[]
        {
            (1L, (string?)"2026-02-01T00:00:00.000Z", (long?)(31 * 86400), string.Empty),
            (2L, null, null, "-charts\u001f+formulas\u001f+pivot"),
            (3L, "2026-02-01T00:00:00.000Z", 0, string.Empty),
            (4L, null, null, string.Empty),
        }));
    }

    [Test]
    public void Open_SetsDurableAndPrivacyPragmas()
    {
        using var directory = new TempDirectory();
        using var connection = TelemetryDatabase.Open(directory.File("p.db"));
        Assert.Multiple(() =>
        {
            Assert.That(connection.ExecuteScalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
            Assert.That(connection.ExecuteScalar<long>("PRAGMA synchronous"), Is.EqualTo(2), "FULL");
            Assert.That(connection.ExecuteScalar<long>("PRAGMA foreign_keys"), Is.EqualTo(1));
            Assert.That(connection.ExecuteScalar<long>("PRAGMA secure_delete"), Is.EqualTo(1));
            Assert.That(Migrator.CurrentVersion(connection), Is.EqualTo(Migrator.LatestVersion));
        });
    }

    [Test]
    public void Open_ANewerSchema_RefusesWithAClearMessage()
    {
        using var directory = new TempDirectory();
        var path = directory.File("future.db");
        using (var c = TelemetryDatabase.Open(path))
        {
            c.Execute($"PRAGMA user_version = {Migrator.LatestVersion + 1}");
        }

        var e = Assert.Throws<InvalidOperationException>(() => TelemetryDatabase.Open(path).Dispose());
        Assert.That(e!.Message, Does.Contain("newer than this program"));
    }

    [Test]
    public void Open_WithoutCreate_OnAMissingFile_NamesTheFile()
    {
        using var directory = new TempDirectory();
        var e = Assert.Throws<DatabaseNotFoundException>(() => TelemetryDatabase.Open(directory.File("none.db"), create: false));
        Assert.That(e!.Message, Does.Contain("none.db"));
    }
}
