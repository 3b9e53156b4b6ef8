namespace Telemetry.Core.Reports;

/// <summary>
/// A validated report, holding only the fields the contract allows us to keep.
/// Everything else a report may carry (the <c>environment</c> block, unknown fields) is dropped by the parsers.
/// </summary>
public sealed record Report
{
    /// <summary>1 for the text block of add-on 3.x, 2 for the JSON attachment of 4.x.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The sender's unique report id, when the build sent one.</summary>
    public Guid? ReportId { get; init; }

    public required ReportKind Kind { get; init; }

    public required ServerId ServerId { get; init; }

    /// <summary>The instant the report was generated, with the sender's own UTC offset.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The calendar period a monthly report covers (inclusive); null for other kinds.</summary>
    public ReportPeriod? Period { get; init; }

    public ConfluenceInfo Confluence { get; init; } = new();

    public AddonInfo Addon { get; init; } = new();

    public UsageInfo Usage { get; init; } = new();

    /// <summary>Database connections configured in the add-on, per database type.</summary>
    public IReadOnlyList<NamedCount> Connections { get; init; } = [];

    /// <summary>Feature usage counters, by feature name.</summary>
    public IReadOnlyList<NamedCount> Features { get; init; } = [];

    /// <summary>Error counters, by name (<c>connectionFailures</c>, <c>queryErrors</c>, <c>exceptions</c>, ...).</summary>
    public IReadOnlyList<NamedCount> Errors { get; init; } = [];

    /// <summary>Only present when an administrator typed an address into the add-on. Personal data.</summary>
    public ContactInfo? Contact { get; init; }

    /// <summary>The identity that makes resends of the same report duplicates.</summary>
    public ReportIdentity Identity => ReportIdentity.For(this);

    /// <summary>Looks up an error counter by name (case-insensitive).</summary>
    public long? Error(string name) => Find(Errors, name);

    /// <summary>Looks up a feature counter by name (case-insensitive).</summary>
    public long? Feature(string name) => Find(Features, name);

    private static long? Find(IReadOnlyList<NamedCount> counts, string name)
    {
        foreach (var c in counts)
        {
            if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return c.Count;
            }
        }

        return null;
    }
}

/// <summary>An inclusive range of calendar dates.</summary>
public readonly record struct ReportPeriod(DateOnly Start, DateOnly End);

/// <summary>A name with a non-negative count.</summary>
public readonly record struct NamedCount(string Name, long Count);

public sealed record ConfluenceInfo
{
    public string? Version { get; init; }

    /// <summary><c>server</c> or <c>datacenter</c>.</summary>
    public string? Edition { get; init; }

    public long? ClusterNodes { get; init; }

    public long? UserCount { get; init; }

    public string? Database { get; init; }
}

public sealed record AddonInfo
{
    public string? Version { get; init; }

    public string? LicenseType { get; init; }

    public string? LicenseSen { get; init; }

    public long? LicenseMaxUsers { get; init; }

    public DateOnly? LicenseExpiresOn { get; init; }
}

public sealed record UsageInfo
{
    public long? ActiveUsers { get; init; }

    public long? Spreadsheets { get; init; }

    public long? Queries { get; init; }

    public long? PagesWithMacros { get; init; }
}

public sealed record ContactInfo(string? Email, string? Name);
