using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

namespace Telemetry.Core.Storage;

/// <summary>
/// Prepared statements kept for the life of a connection. The statements ingestion runs for every message are
/// prepared once and bound again each time, instead of being parsed and planned by SQLite on every call.
/// </summary>
public sealed class Statements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Statements> PerConnection = [];

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private Statements(SqliteConnection connection) => _connection = connection;

    /// <summary>The statements of a connection (one set per connection; a connection is used by one thread at a time).</summary>
    public static Statements For(SqliteConnection connection) => PerConnection.GetValue(connection, c => new Statements(c));

    /// <summary>The command for <paramref name="sql"/>, bound to the transaction and to the values, in the order of its parameters.</summary>
    public SqliteCommand Bind(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands[sql] = command;
        }

        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    public int Execute(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, transaction, parameters).ExecuteNonQuery();

    /// <summary>The first column of the first row, or null when there is no row (or it holds NULL).</summary>
    public object? Scalar(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, transaction, parameters).ExecuteScalar() is { } value and not DBNull ? value : null;
}
