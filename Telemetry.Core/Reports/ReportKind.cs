namespace Telemetry.Core.Reports;

/// <summary>The kinds of report the add-on sends.</summary>
public enum ReportKind
{
    /// <summary>Sent once after installation.</summary>
    Install,

    /// <summary>Sent once a month, covering the previous calendar month.</summary>
    Monthly,

    /// <summary>Sent when an administrator turns usage statistics off.</summary>
    OptOut,

    /// <summary>Sent when an administrator turns usage statistics back on.</summary>
    OptIn,
}

/// <summary>Conversions between <see cref="ReportKind"/> and the words used on the wire and in the database.</summary>
public static class ReportKinds
{
    public static string ToWire(this ReportKind kind) => kind switch
    {
        ReportKind.Install => "install",
        ReportKind.Monthly => "monthly",
        ReportKind.OptOut => "optout",
        ReportKind.OptIn => "optin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? text, out ReportKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "install": kind = ReportKind.Install; return true;
            case "monthly": kind = ReportKind.Monthly; return true;
            case "optout": kind = ReportKind.OptOut; return true;
            case "optin": kind = ReportKind.OptIn; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>True for the opt-out and opt-in notices, which carry no usage data.</summary>
    public static bool IsNotice(this ReportKind kind) => kind is ReportKind.OptOut or ReportKind.OptIn;
}
