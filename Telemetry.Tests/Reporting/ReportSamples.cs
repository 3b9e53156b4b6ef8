using Telemetry.Core.Health;
using Telemetry.Core.Stats;

namespace Telemetry.Tests.Reporting;

/// <summary>Hand-built report data: rich, empty, shareable with hidden figures, and with hostile names.</summary>
internal static class ReportSamples
{
    public static readonly DateOnly AsOf = new(2026, 11, 15);

    /// <summary>Strings that would run a script or break the markup if they were not encoded.</summary>
    public static readonly string[] HostileStrings =
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "]]>",
        "Tom & Jerry's <b>",
        "</svg><script>alert(2)</script>",
        "x' onload='alert(3)",
    ];

    /// <summary>Every chart the report draws for data with something in each section.</summary>
    public static readonly string[] ChartNames =
    [
        "trend-active-instances",
        "trend-users",
        "trend-active-users",
        "features",
        "addon-versions",
        "confluence-versions",
        "licenses",
        "editions",
        "connections",
    ];

    public static ReportData Rich()
    {
        var trend = Enumerable.Range(0, 24).Select(i =>
        {
            var month = new DateOnly(2024, 12, 1).AddMonths(i);
            long active = 820 + (i * 23) + (i % 5 * 9);
            return new TrendPoint(month, active, active * 412, active * 37, 30 + (i % 7 * 4), 8 + (i % 4 * 3), 2 + (i % 3));
        }).ToList();
        var last = trend[^1];
        var active = last.ActiveInstances.Value;
        const long monthly = 1310;
        (string Name, long Count)[] features =
        [
            ("spreadsheets", 1288), ("sql-queries", 1204), ("formulas", 1022), ("charts", 873), ("pivot-tables", 610),
            ("rest-data-sources", 402), ("scheduled-refresh", 231), ("excel-import", 97),
        ];
        string[] addons = ["3.0.4", "3.2.1", "3.5.0", "4.0.2", "4.1.0", "4.2.3", "4.5.0", "4.8.1", "4.9.0", "4.10.0", "4.10.2", "unknown"];
        long[] addonCounts = [12, 25, 31, 64, 77, 102, 140, 188, 230, 301, 160, 14];
        string[] confluences = ["7.4.18", "7.13.20", "7.19.26", "8.0.4", "8.5.14", "8.9.3", "9.0.3", "9.2.1"];
        long[] confluenceCounts = [41, 88, 212, 96, 365, 288, 140, 114];

        return new ReportData(
            AsOf,
            45,
            Shareable: false,
            new PublishedSummary(AsOf, 45, active, 214, 37, last.Users, last.ActiveUsers),
            trend,
            monthly,
            features.Select(f => new PublishedFeature(f.Name, f.Count, (double)f.Count / monthly)).ToList(),
            Versions(addons, addonCounts),
            Versions(confluences, confluenceCounts),
            [
                new LicenseRow("commercial", 1011, 1011.0 / active, 512_340),
                new LicenseRow("academic", 143, 143.0 / active, 61_200),
                new LicenseRow("community", 57, 57.0 / active, 3_410),
                new LicenseRow("evaluation", 96, 96.0 / active, 2_005),
                new LicenseRow("developer", 37, 37.0 / active, 120),
            ],
            [
                new EditionRow("server", null, 1098, 1098.0 / active),
                new EditionRow("datacenter", null, 246, 246.0 / active),
                new EditionRow("datacenter", 1, 61, 61.0 / active),
                new EditionRow("datacenter", 2, 118, 118.0 / active),
                new EditionRow("datacenter", 4, 67, 67.0 / active),
            ],
            [
                new ConnectionRow("postgresql", 702, 702.0 / active, 2_140),
                new ConnectionRow("mysql", 388, 388.0 / active, 905),
                new ConnectionRow("sqlserver", 301, 301.0 / active, 760),
                new ConnectionRow("oracle", 174, 174.0 / active, 512),
                new ConnectionRow("h2", 66, 66.0 / active, 70),
            ],
            [
                Flag(1, "connection-failures", Severity.Warning, "5f2a-91c0-aa13-77de", "connectionFailures 14 (threshold 10)"),
                Flag(2, "license-expiring", Severity.Info, "0b33-7e10-c4d2-19fa", "license expires on 2026-11-30 (in 15 days)"),
                Flag(3, "cloned-server-id", Severity.Critical, "9c01-55ab-e2f0-3d48", "user counts 120, 4800 in the same month"),
            ]);
    }

    /// <summary>Rich data as the shareable report gets it: some counts small ("&lt;5"), some hidden ("x"), no flags.</summary>
    public static ReportData Shareable()
    {
        var rich = Rich();
        var active = rich.Summary.ActiveInstances.Value;
        var trend = rich.Trend.Select((p, i) => i switch
        {
            3 => p with { ActiveInstances = Small(3), Users = Hidden(p.Users.Value), ActiveUsers = Hidden(p.ActiveUsers.Value) },
            4 => p with { Users = Hidden(p.Users.Value), OptedOut = Small(2) },
            _ => p with { OptedOut = i % 2 == 0 ? Small(2) : Hidden(6) },
        }).ToList();
        var features = rich.Features.ToList();
        features.Add(new PublishedFeature("macro-export", Small(3), null));
        features.Add(new PublishedFeature("odbc-bridge", Hidden(7), null));
        var addons = rich.AddonVersions.ToList();
        addons[1] = new VersionRow(addons[1].Version, Small(2), null, addons[1].AtLeast, addons[1].AtLeastShare);
        addons[2] = new VersionRow(addons[2].Version, Hidden(31), null, Hidden(addons[2].AtLeast!.Value.Value), null);
        var licenses = rich.Licenses.ToList();
        licenses[4] = new LicenseRow("developer", Small(4), null, Hidden(120));
        licenses[3] = new LicenseRow("evaluation", Hidden(96), null, Hidden(2_005));
        var editions = rich.Editions.ToList();
        editions.Add(new EditionRow("datacenter", 8, Small(1), null));
        editions[4] = new EditionRow("datacenter", 4, Hidden(66), null);
        var connections = rich.Connections.ToList();
        connections.Add(new ConnectionRow("db2", Small(2), null, Small(3)));

        return rich with
        {
            Shareable = true,
            Summary = rich.Summary with { OptedOutInstances = Hidden(37) },
            Trend = trend,
            Features = features,
            AddonVersions = addons,
            Licenses = licenses,
            Editions = editions,
            Connections = connections,
            OpenFlags = null,
        };

        static Figure Small(long value) => new(value, Disclosure.Small);

        static Figure Hidden(long value) => new(value, Disclosure.Hidden);
    }

    /// <summary>No instance at all: zero figures, 24 months of zeros, empty lists, no open flag.</summary>
    public static ReportData Empty() => new(
        AsOf,
        45,
        Shareable: false,
        new PublishedSummary(AsOf, 45, 0, 0, 0, 0, 0),
        Enumerable.Range(0, 24).Select(i => new TrendPoint(new DateOnly(2024, 12, 1).AddMonths(i), 0, 0, 0, 0, 0, 0)).ToList(),
        0,
        [],
        [],
        [],
        [],
        [],
        [],
        []);

    /// <summary>Rich data whose every text from reports is one of <see cref="HostileStrings"/>.</summary>
    public static ReportData Hostile()
    {
        var rich = Rich();
        static string Pick(int i) => HostileStrings[i % HostileStrings.Length];
        return rich with
        {
            Features = rich.Features.Select((f, i) => f with { Feature = Pick(i) }).ToList(),
            AddonVersions = rich.AddonVersions.Select((v, i) => v with { Version = Pick(i) }).ToList(),
            ConfluenceVersions = rich.ConfluenceVersions.Select((v, i) => v with { Version = Pick(i + 1) }).ToList(),
            Licenses = rich.Licenses.Select((l, i) => l with { LicenseType = Pick(i + 2) }).ToList(),
            Editions = rich.Editions.Select((e, i) => e with { Edition = Pick(i + 3) }).ToList(),
            Connections = rich.Connections.Select((c, i) => c with { Type = Pick(i + 4) }).ToList(),
            OpenFlags = HostileStrings.Select((s, i) => Flag(i + 1, s, Severity.Warning, Pick(i + 1), Pick(i + 2))).ToList(),
        };
    }

    private static List<VersionRow> Versions(string[] versions, long[] counts)
    {
        var total = counts.Sum();
        var rows = new List<VersionRow>();
        for (var i = 0; i < versions.Length; i++)
        {
            var unknown = versions[i] == "unknown";
            var atLeast = counts.Skip(i).Take(versions.Length - i).Where((_, j) => versions[i + j] != "unknown").Sum();
            rows.Add(unknown
                ? new VersionRow(versions[i], counts[i], (double)counts[i] / total, null, null)
                : new VersionRow(versions[i], counts[i], (double)counts[i] / total, atLeast, (double)atLeast / total));
        }

        return rows;
    }

    private static HealthFlag Flag(long id, string rule, Severity severity, string serverId, string figures) => new()
    {
        Id = id,
        ServerId = serverId,
        Rule = rule,
        Severity = severity,
        Figures = figures,
        FirstSeen = new DateTimeOffset(2026, 10, 2, 7, 30, 0, TimeSpan.Zero).AddDays(id),
        LastSeen = new DateTimeOffset(2026, 11, 15, 6, 0, 0, TimeSpan.Zero),
        Status = FlagStatus.Open,
    };
}
