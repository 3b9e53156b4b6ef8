namespace Telemetry.Core.Stats;

/// <summary>
/// The moment a statistic is computed for: the end of day D (D 23:59:59.999 UTC), and the active window before it.
/// </summary>
public readonly record struct AsOf(DateOnly Date, TimeSpan ActiveWindow)
{
    public const int DefaultActiveWindowDays = 45;

    public static TimeSpan DefaultActiveWindow { get; } = TimeSpan.FromDays(DefaultActiveWindowDays);

    /// <summary>D 23:59:59.999 UTC.</summary>
    public DateTimeOffset End => new DateTimeOffset(Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).AddMilliseconds(-1);

    /// <summary>A report is within the active window when generated strictly after this instant.</summary>
    public DateTimeOffset WindowStart => End - ActiveWindow;

    public static AsOf Today(TimeProvider time, TimeSpan? window = null) =>
        new(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), window ?? DefaultActiveWindow);
}
