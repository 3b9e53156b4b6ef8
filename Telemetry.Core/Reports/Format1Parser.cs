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
        // The results are produced as the text is read, like the lines of text.Split('\n') one after the other; only
        // the lines inside a block are made into strings.
        List<string>? block = null;
        var start = 0;
        while (start >= 0)
        {
            var end = text.IndexOf('\n', start);
            var line = Unquote(end < 0 ? text.AsSpan(start) : text.AsSpan(start, end - start));
            start = end < 0 ? -1 : end + 1;
            if (IsMarker(line, BeginMarker, BeginWords))
            {
                if (block is not null)
                {
                    yield return ParseResult.Invalid("a report block starts before the previous one ended (missing END line)");
                }

                block = [];
                continue;
            }

            if (IsMarker(line, EndMarker, EndWords))
            {
                if (block is not null)
                {
                    yield return Parse(block);
                    block = null;
                }

                continue;
            }

            block?.Add(line.ToString());
        }

        if (block is not null)
        {
            yield return ParseResult.Invalid("the report block has no END line (the message was cut short?)");
        }
    }

    /// <summary>Strips the indentation and "> " quoting a mail client may add, and the line end.</summary>
    internal static string Unquote(string line) => Unquote(line.AsSpan()).ToString();

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> line)
    {
        var span = line.TrimEnd("\r ");
        while (true)
        {
            var trimmed = span.TrimStart();
            if (trimmed.Length > 0 && trimmed[0] == '>')
            {
                span = trimmed[1..];
                continue;
            }

            return trimmed;
        }
    }

    private static readonly string[] BeginWords = BeginMarker.Split(' ');

    private static readonly string[] EndWords = EndMarker.Split(' ');

    /// <summary>
    /// The line is the marker, in any letter case, the words of a line that starts with "---" possibly apart by more
    /// than one space: its words, split on spaces, are the marker's words.
    /// </summary>
    private static bool IsMarker(ReadOnlySpan<char> line, string marker, string[] words)
    {
        if (line.Equals(marker, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!line.StartsWith("---", StringComparison.Ordinal))
        {
            return false;
        }

        var word = 0;
        foreach (var range in line.Split(' '))
        {
            var part = line[range];
            if (part.IsEmpty)
            {
                continue;
            }

            if (word == words.Length || !part.Equals(words[word], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            word++;
        }

        return word == words.Length;
    }

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
        var fields = new Dictionary<string, (string, string)>(KeyComparer.Instance);
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
            if (fields.TryGetValue(key, out var existing) && existing.Item2 != value)
            {
                throw new ReportRuleException($"\"{ReportText.Clip(key)}\" appears twice with different values");
            }

            fields[key] = (key, value);
        }

        return fields;
    }

    /// <summary>
    /// Keys are one key when their letters and digits, in lower case, are the same: "Report-Version", "report version"
    /// and "REPORTVERSION" are one key. Compares them in place, without making the normalised strings.
    /// </summary>
    private sealed class KeyComparer : IEqualityComparer<string>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null && y is null;
            }

            int i = 0, j = 0;
            while (true)
            {
                while (i < x.Length && !char.IsLetterOrDigit(x[i]))
                {
                    i++;
                }

                while (j < y.Length && !char.IsLetterOrDigit(y[j]))
                {
                    j++;
                }

                if (i == x.Length || j == y.Length)
                {
                    return i == x.Length && j == y.Length;
                }

                if (char.ToLowerInvariant(x[i]) != char.ToLowerInvariant(y[j]))
                {
                    return false;
                }

                i++;
                j++;
            }
        }

        public int GetHashCode(string key)
        {
            var hash = default(HashCode);
            foreach (var c in key)
            {
                if (char.IsLetterOrDigit(c))
                {
                    hash.Add(char.ToLowerInvariant(c));
                }
            }

            return hash.ToHashCode();
        }
    }

    private static ParseResult Read(Dictionary<string, (string Key, string Value)> f)
    {
        string? Get(string key) => f.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;

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
            throw NotACount(key, text);
        }

        return value;
    }

    private static ReportRuleException NotACount(string key, string text) =>
        new($"\"{key}\" is \"{ReportText.Clip(text)}\"; counts must be non-negative integers");

    private static long? Lenient(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string? Text(string? value) => value is null ? null : ReportText.Sanitize(value);

    private static List<NamedCount> Pairs(Dictionary<string, (string Key, string Value)> f, string key)
    {
        var list = new List<NamedCount>();
        if (!f.TryGetValue(key, out var field) || field.Value.Length == 0)
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
            var countText = pair[(eq + 1)..].Trim();
            if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw NotACount($"{key} {ReportText.Clip(name)}", countText);
            }

            list.Add(new NamedCount(ReportText.Sanitize(name), count));
        }

        return list;
    }
}
