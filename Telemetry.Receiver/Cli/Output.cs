using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

using CsvHelper;

using Spectre.Console;

namespace Telemetry.Receiver.Cli;

/// <summary>Writes results as a table for people, or as JSON or CSV for scripts.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,

        // Written for scripts on standard output, never into a page: "<5" stays readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new DateOnlyConverter() },
    };

    public static void WriteJson<T>(CliContext context, T value) =>
        context.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>
    /// CSV with a header row. Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
    /// are escaped; numbers are written as numbers.
    /// </summary>
    public static void WriteCsv(CliContext context, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var csv = CsvWriter.Create(context.Out, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader([.. header]);
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell);
            }

            csv.EndRecord();
        }

        csv.Flush();
    }

    public static void WriteTable(CliContext context, Table table) => context.OutConsole().Write(table);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => share.ToString("P1", CultureInfo.InvariantCulture);

    public static string Raw(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Raw(double d) => d.ToString("0.######", CultureInfo.InvariantCulture);

    private sealed class DateOnlyConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateOnly.ParseExact(reader.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
