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

    /// <summary>The value of each key, by its normalised form (see <see cref="NormaliseKey"/>).</summary>
    private static Dictionary<string, string> ReadFields(IReadOnlyList<string> lines)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
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

            var key = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim().ToString();
            var normalised = NormaliseKey(key);
            if (fields.TryGetValue(normalised, out var existing) && existing != value)
            {
                throw new ReportRuleException($"\"{ReportText.Clip(key.ToString())}\" appears twice with different values");
            }

            fields[normalised] = value;
        }

        return fields;
    }

    /// <summary>The letters and digits of a key, in lower case: "Report-Version", "report version" and "REPORTVERSION" are one key.</summary>
    private static string NormaliseKey(ReadOnlySpan<char> key)
    {
        var buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        var length = 0;
        foreach (var c in key)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>The keys read, normalised once.</summary>
    private static class Keys
    {
        public static readonly string ReportVersion = NormaliseKey("Report-Version");
        public static readonly string Kind = NormaliseKey("Kind");
        public static readonly string ServerId = NormaliseKey("Server-Id");
        public static readonly string GeneratedAt = NormaliseKey("Generated-At");
        public static readonly string ReportId = NormaliseKey("Report-Id");
        public static readonly string Period = NormaliseKey("Period");
        public static readonly string ConfluenceEdition = NormaliseKey("Confluence-Edition");
        public static readonly string ContactEmail = NormaliseKey("Contact-Email");
        public static readonly string ContactName = NormaliseKey("Contact-Name");
        public static readonly string ConfluenceVersion = NormaliseKey("Confluence-Version");
        public static readonly string ClusterNodes = NormaliseKey("Cluster-Nodes");
        public static readonly string ConfluenceClusterNodes = NormaliseKey("Confluence-Cluster-Nodes");
        public static readonly string ConfluenceUsers = NormaliseKey("Confluence-Users");
        public static readonly string ConfluenceDatabase = NormaliseKey("Confluence-Database");
        public static readonly string PlaySqlVersion = NormaliseKey("Play-SQL-Version");
        public static readonly string LicenseType = NormaliseKey("License-Type");
        public static readonly string LicenseSen = NormaliseKey("License-SEN");
        public static readonly string LicenseMaxUsers = NormaliseKey("License-Max-Users");
        public static readonly string ActiveUsers = NormaliseKey("Active-Users");
        public static readonly string Spreadsheets = NormaliseKey("Spreadsheets");
        public static readonly string Queries = NormaliseKey("Queries");
        public static readonly string PagesWithMacros = NormaliseKey("Pages-With-Macros");
        public static readonly string Connections = NormaliseKey("Connections");
        public static readonly string Features = NormaliseKey("Features");
        public static readonly string Errors = NormaliseKey("Errors");
    }

    private static ParseResult Read(Dictionary<string, string> f)
    {
        string? Get(string key) => f.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        var versionText = Get(Keys.ReportVersion)
            ?? throw new ReportRuleException("\"Report-Version\" is missing");
        if (!long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new ReportRuleException($"\"Report-Version\" is \"{ReportText.Clip(versionText)}\", expected an integer");
        }

        if (ReportRules.Version(version, CurrentVersion, "Report-Version", "text report") is { } rejected)
        {
            return rejected;
        }

        var kindText = Get(Keys.Kind) ?? throw new ReportRuleException("\"Kind\" is missing");
        if (!ReportKinds.TryParse(kindText, out var kind) || kind.IsNotice())
        {
            throw new ReportRuleException($"\"Kind\" is \"{ReportText.Clip(kindText)}\", expected install or monthly (text reports have no other kinds)");
        }

        var serverId = ReportRules.ServerId(Get(Keys.ServerId) ?? throw new ReportRuleException("\"Server-Id\" is missing"), "Server-Id");
        var generatedAt = ReportRules.Instant(Get(Keys.GeneratedAt) ?? throw new ReportRuleException("\"Generated-At\" is missing"), "Generated-At");
        var reportId = ReportRules.ReportId(Get(Keys.ReportId), "Report-Id");
        var period = ReadPeriod(Get(Keys.Period), kind);
        var edition = ReportRules.Edition(Get(Keys.ConfluenceEdition), "Confluence-Edition");

        var email = Text(Get(Keys.ContactEmail));
        var name = Text(Get(Keys.ContactName));
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
                Version = Text(Get(Keys.ConfluenceVersion)),
                Edition = edition,
                ClusterNodes = Lenient(Get(Keys.ClusterNodes) ?? Get(Keys.ConfluenceClusterNodes)),
                UserCount = Count(Get(Keys.ConfluenceUsers), "Confluence-Users"),
                Database = Text(Get(Keys.ConfluenceDatabase)),
            },
            Addon = new AddonInfo
            {
                Version = Text(Get(Keys.PlaySqlVersion)),
                LicenseType = Text(Get(Keys.LicenseType)),
                LicenseSen = Text(Get(Keys.LicenseSen)),
                LicenseMaxUsers = Lenient(Get(Keys.LicenseMaxUsers)),
            },
            Usage = new UsageInfo
            {
                ActiveUsers = Count(Get(Keys.ActiveUsers), "Active-Users"),
                Spreadsheets = Count(Get(Keys.Spreadsheets), "Spreadsheets"),
                Queries = Count(Get(Keys.Queries), "Queries"),
                PagesWithMacros = Count(Get(Keys.PagesWithMacros), "Pages-With-Macros"),
            },
            Connections = Pairs(f, Keys.Connections, "Connections"),
            Features = Pairs(f, Keys.Features, "Features"),
            Errors = Pairs(f, Keys.Errors, "Errors"),
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

    private static List<NamedCount> Pairs(Dictionary<string, string> f, string normalisedKey, string key)
    {
        var list = new List<NamedCount>();
        if (!f.TryGetValue(normalisedKey, out var field) || field.Length == 0)
        {
            return list;
        }

        foreach (var pair in field.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
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
