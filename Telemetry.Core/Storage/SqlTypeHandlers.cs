using System.Data;
using System.Globalization;

using Dapper;

namespace Telemetry.Core.Storage;

/// <summary>
/// How dates are written to SQLite: instants as UTC ISO 8601 text with milliseconds (which sorts as text),
/// dates as yyyy-MM-dd. The handlers read columns back; parameters are bound through <see cref="ToSql(DateTimeOffset)"/>
/// because Dapper binds its built-in date types without consulting handlers.
/// </summary>
public static class SqlTypeHandlers
{
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    public static string ToSql(DateTimeOffset value) =>
        value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static string? ToSql(DateTimeOffset? value) => value is { } v ? ToSql(v) : null;

    public static string? ToSql(DateOnly? value) =>
        value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset FromSql(string text) =>
        DateTimeOffset.ParseExact(text, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = ToSql(value);
        }

        public override DateTimeOffset Parse(object value) => FromSql((string)value);
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        public override DateOnly Parse(object value) =>
            DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
