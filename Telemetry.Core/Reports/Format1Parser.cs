using System.Globalization;

namespace Telemetry.Core.Reports;

/// <summary>
/// Finds and parses the text blocks of format 1 (add-on 3.x): lines between
/// <c>--- BEGIN PLAY SQL REPORT ---</c> and <c>--- END PLAY SQL REPORT ---</c>, one <c>Key: Value</c> per line.
/// Keys are case-insensitive; lines may be indented or quoted with "> " by a mail client.
/// </summary>
public static class Format1Parser
{
    public const string BeginMarker = "--- BEGIN PLAY SQL REPORT ---";
    public const string EndMarker = "--- END PLAY SQL REPORT ---";

    /// <summary>The only text-block version there is.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Cheap test used before the line-by-line scan.</summary>
    public static bool MayContainBlock(string text) =>
        text.Contains("BEGIN PLAY SQL REPORT", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every block in the text, each parsed on its own.</summary>
    public static IEnumerable<ParseResult> ParseAll(string text)
    {
        List<string>? block = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = Unquote(raw);
            if (IsMarker(line, BeginMarker))
            {
                if (block is not null)
                {
                    yield return ParseResult.Invalid("a report block starts before the previous one ended (missing END line)");
                }

                block = [];
                continue;
            }

            if (IsMarker(line, EndMarker))
            {
                if (block is not null)
                {
                    yield return Parse(block);
                    block = null;
                }

                continue;
            }

            block?.Add(line);
        }

        if (block is not null)
        {
            yield return ParseResult.Invalid("the report block has no END line (the message was cut short?)");
        }
    }

    /// <summary>Strips the indentation and "> " quoting a mail client may add, and the line end.</summary>
    internal static string Unquote(string line)
    {
        var span = line.AsSpan().TrimEnd("\r ");
        while (true)
        {
            var trimmed = span.TrimStart();
            if (trimmed.Length > 0 && trimmed[0] == '>')
            {
                span = trimmed[1..];
                continue;
            }

            return trimmed.ToString();
        }
    }

    private static bool IsMarker(string line, string marker) =>
        line.Equals(marker, StringComparison.OrdinalIgnoreCase)
        || (line.StartsWith("---", StringComparison.Ordinal)
            && string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Equals(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses the lines between the markers.</summary>
    public static ParseResult Parse(IReadOnlyList<string> lines)
    {
        try
        {
            return Read(ReadFields(lines));
        }
        catch (ReportRuleException e)
        {
            return ParseResult.Invalid(e.Message);
        }
    }

    private static Dictionary<string, (string Key, string Value)> ReadFields(IReadOnlyList<string> lines)
    {
        var fields = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new ReportRuleException($"the line \"{ReportText.Clip(line)}\" in the report block is not \"Key: Value\"");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            var normalised = NormaliseKey(key);
            if (fields.TryGetValue(normalised, out var existing) && existing.Item2 != value)
            {
                throw new ReportRuleException($"\"{ReportText.Clip(key)}\" appears twice with different values");
            }

            fields[normalised] = (key, value);
        }

        return fields;
    }

    private static string NormaliseKey(string key) =>
        new(key.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static ParseResult Read(Dictionary<string, (string Key, string Value)> f)
    {
        string? Get(string key) => f.TryGetValue(NormaliseKey(key), out var v) && v.Value.Length > 0 ? v.Value : null;

        var versionText = Get("Report-Version")
            ?? throw new ReportRuleException("\"Report-Version\" is missing");
        if (!long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new ReportRuleException($"\"Report-Version\" is \"{ReportText.Clip(versionText)}\", expected an integer");
        }

        if (ReportRules.Version(version, CurrentVersion, "Report-Version", "text report") is { } rejected)
        {
            return rejected;
        }

        var kindText = Get("Kind") ?? throw new ReportRuleException("\"Kind\" is missing");
        if (!ReportKinds.TryParse(kindText, out var kind) || kind.IsNotice())
        {
            throw new ReportRuleException($"\"Kind\" is \"{ReportText.Clip(kindText)}\", expected install or monthly (text reports have no other kinds)");
        }

        var serverId = ReportRules.ServerId(Get("Server-Id") ?? throw new ReportRuleException("\"Server-Id\" is missing"), "Server-Id");
        var generatedAt = ReportRules.Instant(Get("Generated-At") ?? throw new ReportRuleException("\"Generated-At\" is missing"), "Generated-At");
        var reportId = ReportRules.ReportId(Get("Report-Id"), "Report-Id");
        var period = ReadPeriod(Get("Period"), kind);
        var edition = ReportRules.Edition(Get("Confluence-Edition"), "Confluence-Edition");

        var email = Text(Get("Contact-Email"));
        var name = Text(Get("Contact-Name"));
        return ParseResult.Ok(new Report
        {
            FormatVersion = (int)version,
            ReportId = reportId,
            Kind = kind,
            ServerId = serverId,
            GeneratedAt = generatedAt,
            Period = period,
            Confluence = new ConfluenceInfo
            {
                Version = Text(Get("Confluence-Version")),
                Edition = edition,
                ClusterNodes = Lenient(Get("Cluster-Nodes") ?? Get("Confluence-Cluster-Nodes")),
                UserCount = Count(Get("Confluence-Users"), "Confluence-Users"),
                Database = Text(Get("Confluence-Database")),
            },
            Addon = new AddonInfo
            {
                Version = Text(Get("Play-SQL-Version")),
                LicenseType = Text(Get("License-Type")),
                LicenseSen = Text(Get("License-SEN")),
                LicenseMaxUsers = Lenient(Get("License-Max-Users")),
            },
            Usage = new UsageInfo
            {
                ActiveUsers = Count(Get("Active-Users"), "Active-Users"),
                Spreadsheets = Count(Get("Spreadsheets"), "Spreadsheets"),
                Queries = Count(Get("Queries"), "Queries"),
                PagesWithMacros = Count(Get("Pages-With-Macros"), "Pages-With-Macros"),
            },
            Connections = Pairs(f, "Connections"),
            Features = Pairs(f, "Features"),
            Errors = Pairs(f, "Errors"),
            Contact = email is null && name is null ? null : new ContactInfo(email, name),
        });
    }

    private static ReportPeriod? ReadPeriod(string? text, ReportKind kind)
    {
        if (!ReportRules.PeriodExpected(kind, text is not null, "Period"))
        {
            return null;
        }

        var parts = text!.Split('/');
        if (parts.Length != 2)
        {
            throw new ReportRuleException($"\"Period\" is \"{ReportText.Clip(text)}\", expected start/end dates such as 2016-04-01/2016-04-30");
        }

        return ReportRules.Period(parts[0], parts[1], "Period", "Period", "Period");
    }

    private static long? Count(string? text, string key)
    {
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ReportRuleException($"\"{key}\" is \"{ReportText.Clip(text)}\"; counts must be non-negative integers");
        }

        return value;
    }

    private static long? Lenient(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string? Text(string? value) => value is null ? null : ReportText.Sanitize(value);

    private static List<NamedCount> Pairs(Dictionary<string, (string Key, string Value)> f, string key)
    {
        var list = new List<NamedCount>();
        if (!f.TryGetValue(NormaliseKey(key), out var field) || field.Value.Length == 0)
        {
            return list;
        }

        foreach (var pair in field.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ReportRuleException($"\"{key}\" holds \"{ReportText.Clip(pair)}\", expected name=count");
            }

            var name = pair[..eq].Trim();
            var count = Count(pair[(eq + 1)..].Trim(), $"{key} {ReportText.Clip(name)}")
                ?? throw new ReportRuleException($"\"{key}\" has no count for \"{ReportText.Clip(name)}\"");
            list.Add(new NamedCount(ReportText.Sanitize(name), count));
        }

        return list;
    }
}
