using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

using SQLitePCL;

namespace Telemetry.Core.Storage;

/// <summary>
/// Prepared statements kept for the life of a connection, for the statements ingestion runs for every message. Each
/// is prepared once by SQLite and then bound by position and stepped directly: no parsing, no planning, and none of
/// the per-call work of an ADO.NET command (enumerating statements, binding parameters by name). They run on the
/// connection's own handle, so they take part in its current transaction like any command.
/// </summary>
public sealed class Statements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Statements> PerConnection = [];

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, Prepared> _prepared = new(StringComparer.Ordinal);

    private Statements(SqliteConnection connection)
    {
        _connection = connection;
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState != System.Data.ConnectionState.Open)
            {
                Release();
            }
        };
    }

    /// <summary>The statements of a connection (one set per connection; a connection is used by one thread at a time).</summary>
    public static Statements For(SqliteConnection connection) => PerConnection.GetValue(connection, c => new Statements(c));

    /// <summary>
    /// Runs a statement that returns no row, its parameters bound in the order they first appear in
    /// <paramref name="sql"/>; returns the rows it changed. <paramref name="transaction"/> documents the transaction the
    /// statement belongs to: it must be the connection's current one.
    /// </summary>
    public int Execute(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var statement = Bind(sql, transaction, parameters);
        try
        {
            statement.Step();
            return raw.sqlite3_changes(_connection.Handle);
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// Runs a statement whose parameters are positional (<c>?</c>), bound to <paramref name="values"/> in order; returns
    /// the rows it changed.
    /// </summary>
    public int ExecuteValues(string sql, SqliteTransaction? transaction, params ReadOnlySpan<object?> values)
    {
        var statement = Prepare(sql, transaction);
        statement.BindValues(values);
        try
        {
            statement.Step();
            return raw.sqlite3_changes(_connection.Handle);
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> with <paramref name="insert"/>, up to <see cref="RowInsert.MaxRows"/> rows per
    /// statement, in order (so a later row of a key replaces an earlier one under <c>INSERT OR REPLACE</c>).
    /// <paramref name="values"/> fills one row's values, given the row and its position in the list.
    /// </summary>
    public void InsertRows<T>(RowInsert insert, IReadOnlyList<T> rows, SqliteTransaction? transaction, RowValues<T> values)
    {
        for (var first = 0; first < rows.Count; first += RowInsert.MaxRows)
        {
            var count = Math.Min(RowInsert.MaxRows, rows.Count - first);
            var buffer = new object?[count * insert.Columns];
            for (var r = 0; r < count; r++)
            {
                values(rows[first + r], first + r, buffer.AsSpan(r * insert.Columns, insert.Columns));
            }

            ExecuteValues(insert.Sql(count), transaction, buffer);
        }
    }

    /// <summary>The first column of the first row (long, double, string or byte[]), or null when there is no row or it holds NULL.</summary>
    public object? Scalar(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var statement = Bind(sql, transaction, parameters);
        try
        {
            return statement.Step() ? statement.Value(0) : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>The rows of a query, read one at a time; dispose the reader before running the same statement again.</summary>
    public Reader Query(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        new(Bind(sql, transaction, parameters));

    private Prepared Bind(string sql, SqliteTransaction? transaction, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var statement = Prepare(sql, transaction);
        statement.Bind(parameters);
        return statement;
    }

    private Prepared Prepare(string sql, SqliteTransaction? transaction)
    {
        if (transaction is not null && transaction.Connection != _connection)
        {
            throw new InvalidOperationException("The transaction belongs to another connection.");
        }

        if (!_prepared.TryGetValue(sql, out var statement))
        {
            if (_connection.Handle is not { } handle)
            {
                throw new InvalidOperationException("The connection is not open.");
            }

            statement = new Prepared(handle, sql);
            _prepared[sql] = statement;
        }

        return statement;
    }

    private void Release()
    {
        foreach (var statement in _prepared.Values)
        {
            statement.Dispose();
        }

        _prepared.Clear();
    }

    /// <summary>The rows of one prepared statement; disposing it resets the statement for its next use.</summary>
    public readonly struct Reader : IDisposable
    {
        private readonly Prepared _statement;

        internal Reader(Prepared statement) => _statement = statement;

        public bool Read() => _statement.Step();

        public long GetInt64(int column) => raw.sqlite3_column_int64(_statement.Handle, column);

        public string GetString(int column) => raw.sqlite3_column_text(_statement.Handle, column).utf8_to_string();

        public bool IsNull(int column) => raw.sqlite3_column_type(_statement.Handle, column) == raw.SQLITE_NULL;

        public void Dispose() => _statement.Reset();
    }

    internal sealed class Prepared : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

        public Prepared(sqlite3 db, string sql)
        {
            _db = db;
            var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var handle, out var tail);
            SqliteException.ThrowExceptionForRC(rc, db);
            if (!string.IsNullOrWhiteSpace(tail))
            {
                handle.Dispose();
                throw new ArgumentException("A prepared statement holds one SQL statement.", nameof(sql));
            }

            Handle = handle;
            ParameterCount = raw.sqlite3_bind_parameter_count(handle);
            for (var i = 1; i <= ParameterCount; i++)
            {
                if (raw.sqlite3_bind_parameter_name(handle, i).utf8_to_string() is { } name)
                {
                    _positions[name] = i;
                }
            }
        }

        public int ParameterCount { get; }

        public sqlite3_stmt Handle { get; }

        public void Bind(ReadOnlySpan<(string Name, object? Value)> parameters)
        {
            if (parameters.Length != _positions.Count || _positions.Count != ParameterCount)
            {
                throw new ArgumentException($"The statement has {_positions.Count} parameters, {parameters.Length} were given.", nameof(parameters));
            }

            foreach (var (name, value) in parameters)
            {
                if (!_positions.TryGetValue(name, out var i))
                {
                    throw new ArgumentException($"The statement has no parameter {name}.", nameof(parameters));
                }

                BindAt(i, name, value);
            }
        }

        public void BindValues(ReadOnlySpan<object?> values)
        {
            if (values.Length != ParameterCount || _positions.Count != 0)
            {
                throw new ArgumentException($"The statement has {ParameterCount} parameters ({_positions.Count} named), {values.Length} values were given.", nameof(values));
            }

            for (var i = 0; i < values.Length; i++)
            {
                BindAt(i + 1, "?", values[i]);
            }
        }

        private void BindAt(int i, string name, object? value)
        {
            var rc = value switch
            {
                null or DBNull => raw.sqlite3_bind_null(Handle, i),
                string s => raw.sqlite3_bind_text(Handle, i, s),
                long l => raw.sqlite3_bind_int64(Handle, i, l),
                int n => raw.sqlite3_bind_int64(Handle, i, n),
                bool b => raw.sqlite3_bind_int64(Handle, i, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(Handle, i, d),
                byte[] bytes => raw.sqlite3_bind_blob(Handle, i, bytes),
                _ => throw new ArgumentException($"Parameter {name}: values of type {value.GetType().Name} are not bound here.", nameof(value)),
            };
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        /// <summary>Steps once: true when a row is ready, false when the statement is done. Errors throw (and reset).</summary>
        public bool Step()
        {
            var rc = raw.sqlite3_step(Handle);

            if (rc == raw.SQLITE_ROW)
            {
                return true;
            }

            if (rc == raw.SQLITE_DONE)
            {
                return false;
            }

            // The error is read before the reset, which would report it again without its message.
            var message = raw.sqlite3_errmsg(_db).utf8_to_string();
            var extended = raw.sqlite3_extended_errcode(_db);
            raw.sqlite3_reset(Handle);
            throw new SqliteException($"SQLite Error {rc}: '{message}'.", rc, extended);
        }

        public object? Value(int column) => raw.sqlite3_column_type(Handle, column) switch
        {
            raw.SQLITE_INTEGER => raw.sqlite3_column_int64(Handle, column),
            raw.SQLITE_FLOAT => raw.sqlite3_column_double(Handle, column),
            raw.SQLITE_TEXT => raw.sqlite3_column_text(Handle, column).utf8_to_string(),
            raw.SQLITE_BLOB => raw.sqlite3_column_blob(Handle, column).ToArray(),
            _ => null,
        };

        public void Reset()
        {
            raw.sqlite3_reset(Handle);
            raw.sqlite3_clear_bindings(Handle);
        }

        public void Dispose() => Handle.Dispose();
    }
}

/// <summary>Fills the values of one row of a <see cref="RowInsert"/>: the row, its position in its list, its values.</summary>
public delegate void RowValues<in T>(T row, int index, Span<object?> values);

/// <summary>
/// An INSERT of positional values, several rows per statement: <c>INSERT INTO t (a, b) VALUES (?, ?), (?, ?)</c>, one
/// statement text per row count, so that each is prepared once.
/// </summary>
public sealed class RowInsert
{
    /// <summary>The most rows in one statement.</summary>
    public const int MaxRows = 16;

    private readonly string[] _byCount;

    /// <param name="head">The statement up to its values, <c>INSERT INTO t (a, b)</c>.</param>
    /// <param name="columns">The values of one row.</param>
    public RowInsert(string head, int columns)
    {
        Columns = columns;
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", columns)) + ")";
        _byCount = [.. Enumerable.Range(0, MaxRows + 1).Select(n => head + " VALUES " + string.Join(", ", Enumerable.Repeat(row, Math.Max(n, 1))))];
    }

    public int Columns { get; }

    /// <summary>The statement for <paramref name="rows"/> rows (1 to <see cref="MaxRows"/>).</summary>
    public string Sql(int rows) => _byCount[rows];
}
