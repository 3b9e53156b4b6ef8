using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Privacy;

namespace Telemetry.Core.Storage;

/// <summary>
/// Opens the SQLite database with the settings that make commits durable and erasure real:
/// WAL, <c>synchronous=FULL</c>, foreign keys, a busy timeout and <c>secure_delete</c>.
/// </summary>
public static class TelemetryDatabase
{
    public const string DefaultPath = "telemetry.db";

    static TelemetryDatabase() => SqlTypeHandlers.Register();

    /// <summary>
    /// Opens (creating when asked) and migrates the database at <paramref name="path"/>, with the suppression key
    /// from <paramref name="keyPath"/> (default: beside the database) registered as the SQL function <c>server_hmac</c>.
    /// </summary>
    /// <param name="group">The analytics group allowed to read what this call creates (null: owner only).</param>
    public static SqliteConnection Open(string path, bool create = true, string? keyPath = null, string? group = null)
    {
        SqlTypeHandlers.Register();
        DataAccess.Check(Path.GetFullPath(path));
        if (!create && !File.Exists(path))
        {
            throw new DatabaseNotFoundException(path);
        }

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (create && directory is not null && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            DataAccess.Restrict(directory, group, isDirectory: true);
        }

        var isNew = create && !File.Exists(full);
        if (isNew)
        {
            // Created empty and restricted before SQLite writes a byte (an empty file is a new database to SQLite),
            // so even a crash right here leaves no readable file; the WAL files take this file's mode.
            File.WriteAllBytes(full, []);
            DataAccess.Restrict(full, group, isDirectory: false);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();

            Execute(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA foreign_keys = ON;
                PRAGMA busy_timeout = 10000;
                PRAGMA secure_delete = ON;
                """);
            var keyFile = Path.GetFullPath(keyPath ?? SuppressionKey.DefaultPathFor(path));
            var fingerprint = StoredFingerprint(connection);
            if (fingerprint is null && File.Exists(keyFile) && new FileInfo(keyFile).Length == 0)
            {
                // An empty key left by an interrupted first start (before keys were written atomically) protects
                // nothing yet: no fingerprint means no hash was ever made with it.
                File.Delete(keyFile);
            }

            if (!File.Exists(keyFile) && fingerprint is not null)
            {
                throw new InvalidOperationException(
                    $"The key file {keyFile} is missing: without it, opt-outs stored in this database cannot be recognised. Restore it from the backup, or pass --key-file.");
            }

            var key = SuppressionKey.LoadOrCreate(keyFile, group);
            connection.CreateFunction("server_hmac", (string text) => key.Hash(text), isDeterministic: true);
            Keys.AddOrUpdate(connection, key);
            Migrator.Migrate(connection);
            CheckKey(connection, key);
            return connection;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 8 or 14)
        {
            // SQLITE_READONLY, SQLITE_CANTOPEN: the file or its folder (where the WAL goes) is not ours to write.
            connection.Dispose();
            throw DataAccess.Denied(File.Exists(full) ? full : directory ?? full);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a key file other than the one the database was first used with: its hashes would match nothing.</summary>
    /// <summary>
    /// Has SQLite read this connection's database through a memory map of the file (up to 2 GiB, SQLite's own ceiling)
    /// instead of copying each page into its page cache: for the statistics, which read long ranges of an index (the
    /// 24-month trend over a million reports in about half the time). Writes still go through the WAL.
    /// </summary>
    public static void MapForReading(SqliteConnection connection) => Execute(connection, "PRAGMA mmap_size = 2147418112");

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, SuppressionKey> Keys = [];

    /// <summary>The suppression key behind <c>server_hmac</c> on a connection opened here (null for any other connection).</summary>
    public static SuppressionKey? KeyOf(SqliteConnection connection) => Keys.TryGetValue(connection, out var key) ? key : null;

    private static void CheckKey(SqliteConnection connection, SuppressionKey key)
    {
        var stored = StoredFingerprint(connection);
        if (stored is null)
        {
            connection.Execute("INSERT INTO settings (name, value) VALUES ('key_fingerprint', @Fingerprint)", new { key.Fingerprint });
        }
        else if (stored != key.Fingerprint)
        {
            throw new InvalidOperationException(
                $"The key file {key.Path} is not the one this database was created with, so opt-outs could not be recognised. Use the original key file (--key-file), restored from the backup.");
        }
    }

    /// <summary>The key fingerprint recorded in the database, or null (new database, or one from before the key).</summary>
    private static string? StoredFingerprint(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'settings'") == 0
            ? null
            : connection.ExecuteScalar<string?>("SELECT value FROM settings WHERE name = 'key_fingerprint'");

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>A command that reads the database was pointed at a file that does not exist.</summary>
public sealed class DatabaseNotFoundException(string path)
    : Exception($"There is no database at {System.IO.Path.GetFullPath(path)}. Run 'telemetry ingest' first, or pass --db PATH.")
{
    public string DatabasePath { get; } = path;
}
