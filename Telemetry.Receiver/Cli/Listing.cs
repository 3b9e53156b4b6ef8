using System.Globalization;
using Spectre.Console;

namespace Telemetry.Receiver.Cli;

/// <summary>One column of a listing: its name for scripts (JSON key, CSV header), its header and text for people.</summary>
/// <param name="Name">The camelCase name used in JSON and as the CSV header.</param>
/// <param name="Header">The column header of the table.</param>
/// <param name="Value">The raw value, as scripts get it.</param>
/// <param name="Display">The text people see; by default the raw value.</param>
public sealed record Column<T>(string Name, string Header, Func<T, object?> Value, Func<T, string>? Display = null, bool RightAligned = false)
{
    /// <summary>Left out of tables (kept in JSON and CSV), for details a person can ask for with show.</summary>
    public bool Detail { get; init; }

    /// <summary>The value in CSV when the raw value is structured (a map of counts): flat text.</summary>
    public Func<T, object?>? Flat { get; init; }

    public object? CsvValue(T row) => Flat is null ? Value(row) : Flat(row);

    public string Text(T row) => Display?.Invoke(row) ?? Convert.ToString(Value(row), CultureInfo.InvariantCulture) ?? string.Empty;
}

/// <summary>Columns of the usual kinds.</summary>
public static class Column
{
    /// <summary>A count: raw for scripts, with thousands separators for people.</summary>
    public static Column<T> Count<T>(string name, string header, Func<T, long> value) =>
        new(name, header, r => value(r), r => Output.Number(value(r)), RightAligned: true);

    /// <summary>A share between 0 and 1: raw for scripts, a percentage for people.</summary>
    public static Column<T> Share<T>(string name, string header, Func<T, double> value) =>
        new(name, header, r => value(r), r => Output.Percent(value(r)), RightAligned: true);

    /// <summary>A share that is hidden (null) with its count: null for scripts, a dash for people.</summary>
    public static Column<T> Share<T>(string name, string header, Func<T, double?> value) =>
        new(name, header, r => value(r), r => value(r) is { } v ? Output.Percent(v) : "-", RightAligned: true);

    /// <summary>
    /// A count that may be hidden for sharing: the number, or the text "&lt;5" or "x", for scripts as for people.
    /// </summary>
    public static Column<T> Figure<T>(string name, string header, Func<T, Core.Stats.Figure> value) =>
        new(name, header, r => value(r).Raw, r => value(r).Text, RightAligned: true);

    /// <summary>A count that may be missing (null) as well as hidden.</summary>
    public static Column<T> Figure<T>(string name, string header, Func<T, Core.Stats.Figure?> value) =>
        new(name, header, r => value(r)?.Raw, r => value(r)?.Text ?? "-", RightAligned: true);
}

/// <summary>
/// Writes rows the same way for every listing: a table for people (numbers with separators, percentages),
/// JSON or CSV for scripts (raw numbers, one column per <see cref="Column{T}"/>).
/// </summary>
public static class Listing
{
    public static void Write<T>(CliContext cli, OutputFormat format, IReadOnlyList<T> rows, IReadOnlyList<Column<T>> columns, string title, string? emptyCaption = null, string? caption = null)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Output.WriteJson(cli, rows.Select(r => ToObject(r, columns)));
                break;
            case OutputFormat.Csv:
                Output.WriteCsv(cli, [.. columns.Select(c => c.Name)], rows.Select(r => (IReadOnlyList<object?>)[.. columns.Select(c => c.CsvValue(r))]));
                break;
            default:
                var table = new Table().Title(Markup.Escape(title));
                columns = [.. columns.Where(c => !c.Detail)];
                foreach (var c in columns)
                {
                    var column = new TableColumn(Markup.Escape(c.Header));
                    table.AddColumn(c.RightAligned ? column.RightAligned() : column);
                }

                foreach (var r in rows)
                {
                    table.AddRow([.. columns.Select(c => Markup.Escape(c.Text(r)))]);
                }

                if (rows.Count == 0 && emptyCaption is not null)
                {
                    table.Caption(Markup.Escape(emptyCaption));
                }
                else if (caption is not null)
                {
                    table.Caption(Markup.Escape(caption));
                }

                Output.WriteTable(cli, table);
                break;
        }
    }

    /// <summary>A single record: a JSON object, a CSV row, or a two-column table of figures.</summary>
    public static void WriteRecord<T>(CliContext cli, OutputFormat format, T row, IReadOnlyList<Column<T>> columns, string title, string? caption = null)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Output.WriteJson(cli, ToObject(row, columns));
                break;
            case OutputFormat.Csv:
                Output.WriteCsv(cli, [.. columns.Select(c => c.Name)], [[.. columns.Select(c => c.CsvValue(row))]]);
                break;
            default:
                var table = new Table().Title(Markup.Escape(title)).AddColumn("Figure").AddColumn(new TableColumn("Value").RightAligned());
                foreach (var c in columns)
                {
                    table.AddRow(Markup.Escape(c.Header), Markup.Escape(c.Text(row)));
                }

                if (caption is not null)
                {
                    table.Caption(Markup.Escape(caption));
                }

                Output.WriteTable(cli, table);
                break;
        }
    }

    private static Dictionary<string, object?> ToObject<T>(T row, IReadOnlyList<Column<T>> columns)
    {
        var result = new Dictionary<string, object?>(columns.Count);
        foreach (var c in columns)
        {
            result[c.Name] = c.Value(row);
        }

        return result;
    }
}
