namespace Telemetry.Core.Samples;

/// <summary>
/// The shape of a generated corpus: how many instances, over how many months, and how much of the mail is awkward.
/// Rates are shares between 0 and 1; the same options and seed always give the same corpus.
/// </summary>
public sealed record CorpusOptions
{
    /// <summary>Confluence instances with the add-on installed.</summary>
    public int Instances { get; init; } = 20;

    /// <summary>Monthly reports per instance at most: the months covered end with <see cref="LastMonth"/>.</summary>
    public int Months { get; init; } = 6;

    /// <summary>The last month covered by monthly reports (its report is generated on the 1st of the next month). Only year and month count.</summary>
    public DateOnly LastMonth { get; init; } = new(2026, 10, 1);

    public int Seed { get; init; } = 42;

    /// <summary>Share of instances that opt out at some point (half of them opt back in later). Only add-on 4.x instances can opt out.</summary>
    public double OptOutRate { get; init; } = 0.05;

    /// <summary>Share of messages delivered twice (byte-identical copy).</summary>
    public double DuplicateRate { get; init; } = 0.03;

    /// <summary>Share of reports re-sent in a different email (same reportId, new Message-ID and date).</summary>
    public double ResendRate { get; init; } = 0.02;

    /// <summary>Share of reports whose mail arrives two to eight weeks late.</summary>
    public double LateRate { get; init; } = 0.05;

    /// <summary>Share of all messages that are bounces, auto-replies, human mail or spam.</summary>
    public double NoiseRate { get; init; } = 0.05;

    /// <summary>Share of install and monthly reports that break a rule of the contract (negative count, bad Server ID, missing period...).</summary>
    public double InvalidRate { get; init; } = 0.01;

    /// <summary>Share of install and monthly reports for which a pre-release build also sends a report of a future format version.</summary>
    public double FutureFormatRate { get; init; } = 0.002;

    /// <summary>Share of instances still on add-on 3.x, sending text blocks (some upgrade to 4.x along the way).</summary>
    public double Format1Share { get; init; } = 0.2;

    /// <summary>Share of instances that stop reporting before the end (uninstalled: they become silent).</summary>
    public double UninstallRate { get; init; } = 0.1;

    /// <summary>Throws when a value is out of range, naming the option.</summary>
    public void Validate()
    {
        if (Instances < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Instances), Instances, "must not be negative");
        }

        if (Months < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Months), Months, "must be at least 1");
        }

        Rate(OptOutRate, nameof(OptOutRate));
        Rate(DuplicateRate, nameof(DuplicateRate));
        Rate(ResendRate, nameof(ResendRate));
        Rate(LateRate, nameof(LateRate));
        Rate(InvalidRate, nameof(InvalidRate));
        Rate(FutureFormatRate, nameof(FutureFormatRate));
        Rate(Format1Share, nameof(Format1Share));
        Rate(UninstallRate, nameof(UninstallRate));
        Rate(NoiseRate, nameof(NoiseRate));
        if (NoiseRate >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NoiseRate), NoiseRate, "must be below 1");
        }
    }

    private static void Rate(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be between 0 and 1");
        }
    }
}
