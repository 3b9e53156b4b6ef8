using System.Reflection;

using Microsoft.Data.Sqlite;

namespace Telemetry.Core.Storage;

/// <summary>
/// Applies the numbered scripts of <c>Storage/Migrations</c> (<c>0001_name.sql</c>, ...) in order,
/// each in its own transaction, recording progress in <c>PRAGMA user_version</c>.
/// </summary>
public static class Migrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    public static int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    public static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Brings the schema up to <paramref name="target"/> (default: the latest).</summary>
    public static int Migrate(SqliteConnection connection, int? target = null)
    {
        var current = CurrentVersion(connection);
        var goal = target ?? LatestVersion;
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database schema is version {current}, newer than this program knows ({LatestVersion}). Upgrade the program.");
        }

        var applied = 0;
        foreach (var (version, _, sql) in Migrations)
        {
            if (version <= current || version > goal)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql + $"\nPRAGMA user_version = {version};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            applied++;
        }

        if (applied > 0)
        {
            // A migration may rewrite personal data (plain IDs into hashes): leave no old page in the WAL.
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        return applied;
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.EndsWith(".sql", StringComparison.Ordinal) || !resource.Contains(".Migrations.", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            var digits = new string(name.TakeWhile(char.IsDigit).ToArray());
            if (digits.Length == 0)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
