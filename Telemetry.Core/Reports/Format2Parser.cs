using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Telemetry.Core.Reports;

/// <summary>
/// Parses and validates the JSON document of format 2 (add-on 4.x and later).
/// Only the whitelisted fields reach the <see cref="Report"/>; <c>environment</c> and unknown fields are never read.
/// </summary>
public static class Format2Parser
{
    public const string FormatName = "playsql-report";

    /// <summary>The newest format version this receiver understands.</summary>
    public const int CurrentVersion = 2;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static ParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return ParseResult.Invalid($"the attachment is not valid JSON ({FirstLine(e.Message)})");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (ReportRuleException e)
            {
                return ParseResult.Invalid(e.Message);
            }
            catch (InvalidOperationException)
            {
                // Looking a field up compares it with every name of its object, and a name escaped as a lone
                // surrogate (\ud800) cannot be unescaped for that comparison.
                return ParseResult.Invalid("the attachment has a field name that is not valid UTF-8 text");
            }
        }
    }

    private static ParseResult Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseResult.Invalid("the attachment is JSON but not an object");
        }

        if (!root.TryGetProperty("format"u8, out var format))
        {
            return ParseResult.Invalid("\"format\" is missing (expected \"playsql-report\")");
        }

        if (format.ValueKind != JsonValueKind.String || TryText(format) != FormatName)
        {
            return ParseResult.Invalid($"\"format\" is {Describe(format)}, expected \"playsql-report\"");
        }

        if (!root.TryGetProperty("formatVersion"u8, out var versionElement))
        {
            return ParseResult.Invalid("\"formatVersion\" is missing");
        }

        if (!TryGetInteger(versionElement, out var version))
        {
            return ParseResult.Invalid($"\"formatVersion\" is {Describe(versionElement)}, expected an integer");
        }

        if (ReportRules.Version(version, CurrentVersion, "formatVersion", "formatVersion") is { } rejected)
        {
            return rejected;
        }

        var kindText = RequiredString(root, "kind"u8);
        if (!ReportKinds.TryParse(kindText, out var kind))
        {
            throw new ReportRuleException($"\"kind\" is \"{ReportText.Clip(kindText)}\", expected install, monthly, optout or optin");
        }

        var serverId = ReportRules.ServerId(RequiredString(root, "serverId"u8), "serverId");
        var generatedAt = ReportRules.Instant(RequiredString(root, "generatedAt"u8), "generatedAt");

        var reportId = ReadReportId(root);

        if (kind.IsNotice())
        {
            // Notices carry nothing but their identity; anything else they hold is ignored, never stored.
            return ParseResult.Ok(new Report
            {
                FormatVersion = (int)version,
                ReportId = reportId,
                Kind = kind,
                ServerId = serverId,
                GeneratedAt = generatedAt,
            });
        }

        var period = ReadPeriod(root, kind);
        var report = new Report
        {
            FormatVersion = (int)version,
            ReportId = reportId,
            Kind = kind,
            ServerId = serverId,
            GeneratedAt = generatedAt,
            Period = period,
            Confluence = ReadConfluence(root),
            Addon = ReadAddon(root),
            Usage = ReadUsage(root),
            Connections = ReadConnections(root),
            Features = ReadCounts(root, "features"u8, "features"),
            Errors = ReadCounts(root, "errors"u8, "errors"),
            Contact = ReadContact(root),
        };
        return ParseResult.Ok(report);
    }

    private static Guid? ReadReportId(JsonElement root)
    {
        if (!root.TryGetProperty("reportId"u8, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? ReportRules.ReportId(Text(element, "reportId"), "reportId")
            : throw new ReportRuleException($"\"reportId\" is {Describe(element)}, expected a UUID string");
    }

    private static ReportPeriod? ReadPeriod(JsonElement root, ReportKind kind)
    {
        var present = root.TryGetProperty("period"u8, out var period) && period.ValueKind != JsonValueKind.Null;
        if (!ReportRules.PeriodExpected(kind, present, "period"))
        {
            return null;
        }

        if (period.ValueKind != JsonValueKind.Object)
        {
            throw new ReportRuleException($"\"period\" is {Describe(period)}, expected an object with start and end dates");
        }

        return ReportRules.Period(
            RequiredString(period, "start"u8, "period.start"),
            RequiredString(period, "end"u8, "period.end"),
            "period.start",
            "period.end",
            "period");
    }

    private static ConfluenceInfo ReadConfluence(JsonElement root)
    {
        if (!TryGetObject(root, "confluence"u8, out var c))
        {
            return new ConfluenceInfo();
        }

        return new ConfluenceInfo
        {
            Version = OptionalString(c, "version"u8),
            Edition = ReportRules.Edition(OptionalString(c, "edition"u8), "confluence.edition"),
            ClusterNodes = LenientCount(c, "clusterNodes"u8),
            UserCount = Count(c, "userCount"u8, "confluence.userCount"),
            Database = OptionalString(c, "database"u8),
        };
    }

    private static AddonInfo ReadAddon(JsonElement root)
    {
        if (!TryGetObject(root, "addon"u8, out var a))
        {
            return new AddonInfo();
        }

        var info = new AddonInfo { Version = OptionalString(a, "version"u8) };
        if (!TryGetObject(a, "license"u8, out var l))
        {
            return info;
        }

        DateOnly? expires = Timestamps.TryParseLooseDate(OptionalString(l, "expiresOn"u8), out var e) ? e : null;
        return info with
        {
            LicenseType = OptionalString(l, "type"u8),
            LicenseSen = OptionalString(l, "sen"u8),
            LicenseMaxUsers = LenientCount(l, "maxUsers"u8),
            LicenseExpiresOn = expires,
        };
    }

    private static UsageInfo ReadUsage(JsonElement root)
    {
        if (!TryGetObject(root, "usage"u8, out var u))
        {
            return new UsageInfo();
        }

        // Every usage counter must be a non-negative integer, including ones this receiver does not keep.
        foreach (var p in u.EnumerateObject())
        {
            var field = Name(p, "usage");
            if (!TryGetCount(p.Value, out _))
            {
                throw NotACount(p.Value, "usage." + ReportText.Clip(field));
            }
        }

        return new UsageInfo
        {
            ActiveUsers = Count(u, "activeUsers"u8, "usage.activeUsers"),
            Spreadsheets = Count(u, "spreadsheets"u8, "usage.spreadsheets"),
            Queries = Count(u, "queries"u8, "usage.queries"),
            PagesWithMacros = Count(u, "pagesWithMacros"u8, "usage.pagesWithMacros"),
        };
    }

    private static List<NamedCount> ReadConnections(JsonElement root)
    {
        if (!root.TryGetProperty("connections"u8, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ReportRuleException($"\"connections\" is {Describe(array)}, expected a list");
        }

        var list = new List<NamedCount>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            // The path of the item is only needed to say what is wrong with it.
            string Path() => string.Create(CultureInfo.InvariantCulture, $"connections[{i}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ReportRuleException($"\"{Path()}\" is {Describe(item)}, expected an object with type and count");
            }

            var type = OptionalString(item, "type"u8);
            if (string.IsNullOrWhiteSpace(type))
            {
                throw new ReportRuleException($"\"{Path()}.type\" is missing");
            }

            if (!item.TryGetProperty("count"u8, out var countElement) || countElement.ValueKind == JsonValueKind.Null)
            {
                throw new ReportRuleException($"\"{Path()}.count\" is missing");
            }

            if (!TryGetCount(countElement, out var count))
            {
                throw NotACount(countElement, Path() + ".count");
            }

            list.Add(new NamedCount(ReportText.Sanitize(type), count));
            i++;
        }

        return list;
    }

    private static List<NamedCount> ReadCounts(JsonElement root, ReadOnlySpan<byte> utf8Name, string name)
    {
        if (!root.TryGetProperty(utf8Name, out var obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new ReportRuleException($"\"{name}\" is {Describe(obj)}, expected an object of counts");
        }

        var list = new List<NamedCount>();
        foreach (var p in obj.EnumerateObject())
        {
            var field = Name(p, name);
            if (!TryGetCount(p.Value, out var count))
            {
                throw NotACount(p.Value, name + "." + ReportText.Clip(field));
            }

            list.Add(new NamedCount(ReportText.Sanitize(field), count));
        }

        return list;
    }

    private static ContactInfo? ReadContact(JsonElement root)
    {
        if (!TryGetObject(root, "contact"u8, out var c))
        {
            return null;
        }

        var email = NullIfBlank(OptionalString(c, "email"u8));
        var name = NullIfBlank(OptionalString(c, "name"u8));
        return email is null && name is null ? null : new ContactInfo(email, name);
    }

    private static long? Count(JsonElement obj, ReadOnlySpan<byte> name, string path) =>
        obj.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? RequireCount(e, path) : null;

    private static long RequireCount(JsonElement e, string path) =>
        TryGetCount(e, out var value) ? value : throw NotACount(e, path);

    /// <summary>A count: a non-negative integer.</summary>
    private static bool TryGetCount(JsonElement e, out long value) => TryGetInteger(e, out value) && value >= 0;

    private static ReportRuleException NotACount(JsonElement e, string path) =>
        new($"\"{path}\" is {Describe(e)}; counts must be non-negative integers");

    /// <summary>A count the contract does not constrain: kept when it is a non-negative integer, otherwise ignored.</summary>
    private static long? LenientCount(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.TryGetProperty(name, out var e) && TryGetInteger(e, out var v) && v >= 0 ? v : null;

    /// <summary>An integer-valued JSON number (2 and 2.0 both are; 2.5 and "2" are not).</summary>
    private static bool TryGetInteger(JsonElement e, out long value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (e.TryGetInt64(out value))
        {
            return true;
        }

        if (e.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    private static bool TryGetObject(JsonElement parent, ReadOnlySpan<byte> name, out JsonElement obj)
    {
        if (!parent.TryGetProperty(name, out obj) || obj.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new ReportRuleException($"\"{Display(name)}\" is {Describe(obj)}, expected an object");
        }

        return true;
    }

    private static string RequiredString(JsonElement obj, ReadOnlySpan<byte> name, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            throw new ReportRuleException($"\"{path ?? Display(name)}\" is missing");
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            throw new ReportRuleException($"\"{path ?? Display(name)}\" is {Describe(e)}, expected a string");
        }

        return TryText(e) ?? throw NotText(path ?? Display(name));
    }

    /// <summary>A free-text field: strings as given, numbers by their text (a version sent as 8.5), anything else ignored.</summary>
    private static string? OptionalString(JsonElement obj, ReadOnlySpan<byte> name)
    {
        if (!obj.TryGetProperty(name, out var e))
        {
            return null;
        }

        var text = e.ValueKind switch
        {
            JsonValueKind.String => TryText(e) ?? throw NotText(Display(name)),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        };
        return text is null ? null : ReportText.Sanitize(text);
    }

    /// <summary>
    /// The text of a JSON string. Parsing checks the JSON syntax only: a string can still hold bytes that are not
    /// UTF-8, or escape half of a surrogate pair, and reading it then throws. Such a string breaks the format's rules.
    /// </summary>
    private static string Text(JsonElement e, string path) =>
        TryText(e) ?? throw NotText(path);

    private static ReportRuleException NotText(string path) => new($"\"{path}\" is not valid UTF-8 text");

    /// <summary>A field's name as the messages spell it (the names looked up are ASCII).</summary>
    private static string Display(ReadOnlySpan<byte> name) => Encoding.UTF8.GetString(name);

    /// <summary>The text of a JSON string, or null when it does not decode (see <see cref="Text"/>).</summary>
    private static string? TryText(JsonElement e)
    {
        try
        {
            return e.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The name of a field of <paramref name="parent"/>, which must decode like any string (see <see cref="Text"/>).</summary>
    private static string Name(JsonProperty p, string parent)
    {
        try
        {
            return p.Name;
        }
        catch (InvalidOperationException)
        {
            throw new ReportRuleException($"\"{parent}\" has a field name that is not valid UTF-8 text");
        }
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => TryText(e) is { } text ? "\"" + ReportText.Clip(text) + "\"" : "a string that is not valid UTF-8 text",
        JsonValueKind.Number => ReportText.Clip(e.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "empty",
    };

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }
}
