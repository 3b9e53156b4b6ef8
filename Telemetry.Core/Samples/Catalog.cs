namespace Telemetry.Core.Samples;

/// <summary>The fixed vocabularies the generator draws from.</summary>
internal static class Catalog
{
    /// <summary>Confluence releases, oldest first; older instances start lower in the list.</summary>
    public static readonly string[] ConfluenceVersions =
    [
        "5.9.4", "5.10.8", "6.0.7", "6.6.13", "6.13.23", "6.15.10", "7.4.18", "7.13.20", "7.19.26", "8.5.16", "8.9.8", "9.2.4",
    ];

    /// <summary>Add-on releases, oldest first. 3.x sends text blocks; before 3.2 and on 4.0.x no report id is sent.</summary>
    public static readonly string[] AddonVersions =
    [
        "3.0.2", "3.1.4", "3.2.0", "3.3.1", "3.4.0", "3.5.2", "3.5.7",
        "4.0.0", "4.0.3", "4.1.2", "4.2.0", "4.3.1", "4.4.0", "4.5.2", "4.6.1", "4.7.0", "4.8.3", "4.9.0", "4.9.1",
    ];

    /// <summary>Index of the first 4.x release in <see cref="AddonVersions"/>.</summary>
    public const int FirstFormat2Addon = 7;

    public static bool IsFormat1(int addonIndex) => addonIndex < FirstFormat2Addon;

    /// <summary>Builds that leave out the report id (3.0, 3.1 and 4.0.x).</summary>
    public static bool SendsReportId(int addonIndex) => addonIndex is >= 2 and not (7 or 8);

    public static readonly (string Item, double Weight)[] Databases =
    [
        ("postgresql", 55), ("mysql", 17), ("oracle", 10), ("sqlserver", 15), ("h2", 3),
    ];

    public static readonly string[] ConnectionTypes = ["postgresql", "mysql", "oracle", "sqlserver", "h2"];

    public static readonly string[] Features = ["formulas", "sql-queries", "excel-import", "charts", "pivot", "rest-api"];

    public static readonly (string Item, double Weight)[] LicenseTypes =
    [
        ("commercial", 55), ("evaluation", 10), ("academic", 8), ("community", 5), ("open-source", 3), ("developer", 4), ("starter", 15),
    ];

    public static readonly int[] LicenseTiers = [10, 25, 50, 100, 250, 500, 2000, 10000];

    public static readonly string[] Companies =
    [
        "acme", "globex", "initech", "umbrella", "hooli", "vandelay", "wonka", "stark", "wayne", "tyrell", "cyberdyne", "soylent",
        "aperture", "gringotts", "oceanic", "dunder", "monarch", "nakatomi", "duff", "ollivander", "blauwald", "lumiere", "nordwind",
    ];

    /// <summary>Contact people; the accented names all fit ISO-8859-1 and Windows-1252.</summary>
    public static readonly (string Name, string Login)[] People =
    [
        ("Jane Admin", "jane.admin"), ("Hélène Dupré", "helene.dupre"), ("Jürgen Müller", "juergen.mueller"),
        ("José García", "jose.garcia"), ("Zoë Brontë", "zoe.bronte"), ("Ola Nordmann", "ola.nordmann"),
        ("Chloé Lefèvre", "chloe.lefevre"), ("Søren Kierkegård", "soren.kierkegard"), ("Ana Souza", "ana.souza"),
        ("Mark Smith", "mark.smith"), ("Priya Raman", "priya.raman"), ("Kenji Sato", "kenji.sato"),
    ];

    /// <summary>UTC offsets of the instances: standard and summer offset, and whether summer falls in October to March.</summary>
    public static readonly (TimeSpan Standard, TimeSpan Summer, bool Southern)[] Zones =
    [
        (TimeSpan.FromHours(1), TimeSpan.FromHours(2), false),
        (TimeSpan.FromHours(1), TimeSpan.FromHours(2), false),
        (TimeSpan.Zero, TimeSpan.FromHours(1), false),
        (TimeSpan.Zero, TimeSpan.Zero, false),
        (TimeSpan.FromHours(-5), TimeSpan.FromHours(-4), false),
        (TimeSpan.FromHours(-8), TimeSpan.FromHours(-7), false),
        (TimeSpan.FromHours(-3), TimeSpan.FromHours(-3), false),
        (new TimeSpan(5, 30, 0), new TimeSpan(5, 30, 0), false),
        (TimeSpan.FromHours(9), TimeSpan.FromHours(9), false),
        (TimeSpan.FromHours(10), TimeSpan.FromHours(11), true),
    ];

    public static readonly string[] JavaVersions = ["1.8.0_392", "11.0.21", "17.0.9", "17.0.12", "21.0.4"];

    public static readonly string[] OperatingSystems = ["Linux", "Linux", "Linux", "Windows Server 2019", "Windows Server 2022"];
}
