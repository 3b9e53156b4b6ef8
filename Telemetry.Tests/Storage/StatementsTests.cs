using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Storage;

public sealed class StatementsTests
{
    [Test]
    public void NamedAndPositionalParameters_AreBound_AndTheStatementIsReused()
    {
        using var connection = Open(out var directory);
        using (directory)
        {
            connection.Execute("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d REAL)");
            var statements = Statements.For(connection);
            Assert.That(Statements.For(connection), Is.SameAs(statements));
            for (var i = 0; i < 3; i++)
            {
                Assert.That(statements.Execute("INSERT INTO t (a, b, c, d) VALUES (@a, @b, @c, @d)", null, ("@b", "x" + i), ("@a", (long)i), ("@c", new byte[] { 1, 2 }), ("@d", 0.5)), Is.EqualTo(1));
            }

            // More rows than one statement takes: two statements, the rows in order.
            var many = Enumerable.Range(0, RowInsert.MaxRows + 2).Select(i => (A: 100L + i, B: "r" + i)).ToList();
            statements.InsertRows(new RowInsert("INSERT INTO t (a, b)", 2), many, null, (row, index, values) =>
            {
                values[0] = row.A;
                values[1] = index == many.Count - 1 ? null : row.B;
            });
            Assert.That(connection.Query<long>("SELECT a FROM t WHERE a >= 100 ORDER BY rowid"), Is.EqualTo(many.Select(r => r.A)));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM t WHERE a >= 100 AND b IS NULL"), Is.EqualTo(1));
            Assert.That(statements.ExecuteValues("INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?), (?, ?, ?, ?)", null, 10L, null, null, null, 11, "y", null, 1.5), Is.EqualTo(2));
            Assert.That(statements.Scalar("SELECT b FROM t WHERE a = @a", null, ("@a", 2L)), Is.EqualTo("x2"));
            Assert.That(statements.Scalar("SELECT b FROM t WHERE a = @a", null, ("@a", 10L)), Is.Null, "NULL reads as null");
            Assert.That(statements.Scalar("SELECT b FROM t WHERE a = @a", null, ("@a", 99L)), Is.Null, "no row reads as null");
            Assert.That(statements.Scalar("SELECT c FROM t WHERE a = @a", null, ("@a", 0L)), Is.EqualTo(new byte[] { 1, 2 }));
            Assert.That(statements.Scalar("SELECT d FROM t WHERE a = @a", null, ("@a", 11L)), Is.EqualTo(1.5));

            var rows = new List<(long, string)>();
            using (var reader = statements.Query("SELECT a, b FROM t WHERE b IS NOT NULL AND a < 100 ORDER BY a", null))
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }

            Assert.That(rows, Is.EqualTo(new[] { (0L, "x0"), (1L, "x1"), (2L, "x2"), (11L, "y") }));
        }
    }

    [Test]
    public void AFailingStatement_ThrowsWithSQLitesMessage_AndCanRunAgain()
    {
        using var connection = Open(out var directory);
        using (directory)
        {
            connection.Execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
            var statements = Statements.For(connection);
            statements.Execute("INSERT INTO t (k) VALUES (@k)", null, ("@k", "a"));
            var error = Assert.Throws<SqliteException>(() => statements.Execute("INSERT INTO t (k) VALUES (@k)", null, ("@k", "a")));
            Assert.That(error!.SqliteErrorCode, Is.EqualTo(19), "SQLITE_CONSTRAINT");
            Assert.That(error.Message, Does.Contain("UNIQUE constraint failed: t.k"));
            Assert.That(statements.Execute("INSERT INTO t (k) VALUES (@k)", null, ("@k", "b")), Is.EqualTo(1));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM t"), Is.EqualTo(2));
        }
    }

    [Test]
    public void WrongParameters_AreRejected_BeforeAnythingRuns()
    {
        using var connection = Open(out var directory);
        using (directory)
        {
            connection.Execute("CREATE TABLE t (a INTEGER, b INTEGER)");
            var statements = Statements.For(connection);
            Assert.Throws<ArgumentException>(() => statements.Execute("INSERT INTO t (a, b) VALUES (@a, @b)", null, ("@a", 1L)));
            Assert.Throws<ArgumentException>(() => statements.Execute("INSERT INTO t (a, b) VALUES (@a, @b)", null, ("@a", 1L), ("@c", 2L)));
            Assert.Throws<ArgumentException>(() => statements.ExecuteValues("INSERT INTO t (a, b) VALUES (?, ?)", null, 1L));
            Assert.Throws<ArgumentException>(() => statements.Execute("INSERT INTO t (a) VALUES (1); INSERT INTO t (a) VALUES (2)", null));
            Assert.Throws<ArgumentException>(() => statements.Execute("INSERT INTO t (a, b) VALUES (@a, @b)", null, ("@a", DateTime.Now), ("@b", 1L)));
            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM t"), Is.Zero);
        }
    }

    [Test]
    public void StatementsTakePartInTheConnectionsTransaction()
    {
        using var connection = Open(out var directory);
        using (directory)
        {
            connection.Execute("CREATE TABLE t (a INTEGER)");
            var statements = Statements.For(connection);
            using (var transaction = connection.BeginTransaction())
            {
                statements.Execute("INSERT INTO t (a) VALUES (@a)", transaction, ("@a", 1L));
                transaction.Rollback();
            }

            Assert.That(connection.ExecuteScalar<long>("SELECT count(*) FROM t"), Is.Zero);
            using var other = Open(directory);
            Assert.Throws<InvalidOperationException>(() =>
            {
                using var foreign = other.BeginTransaction();
                statements.Execute("INSERT INTO t (a) VALUES (@a)", foreign, ("@a", 1L));
            });
        }
    }

    [Test]
    public void ClosingTheConnection_FinalizesItsStatements_SoTheDatabaseClosesAndCanBeReopened()
    {
        using var directory = new TempDirectory();
        var connection = Open(directory);
        connection.Execute("CREATE TABLE t (a INTEGER)");
        Statements.For(connection).Execute("INSERT INTO t (a) VALUES (@a)", null, ("@a", 1L));
        connection.Close();
        // The last connection to close checkpoints the WAL and removes it: it would stay if a statement were left.
        Assert.That(File.Exists(directory.File("s.db") + "-wal"), Is.False);
        connection.Open();
        Assert.That(Statements.For(connection).Scalar("SELECT count(*) FROM t", null), Is.EqualTo(1L));
        connection.Dispose();
    }

    private static SqliteConnection Open(out TempDirectory directory)
    {
        directory = new TempDirectory();
        return Open(directory);
    }

    private static SqliteConnection Open(TempDirectory directory)
    {
        var connection = new SqliteConnection($"Data Source={directory.File("s.db")};Pooling=False");
        connection.Open();
        connection.Execute("PRAGMA journal_mode = WAL");
        return connection;
    }
}
