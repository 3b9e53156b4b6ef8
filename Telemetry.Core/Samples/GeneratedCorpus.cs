using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>A generated mailbox with its ground truth.</summary>
public sealed class GeneratedCorpus
{
    internal GeneratedCorpus(IReadOnlyList<GeneratedMessage> messages, IReadOnlyList<Report> acceptedReports, IReadOnlyList<GeneratedOptEvent> optEvents)
    {
        Messages = messages;
        AcceptedReports = acceptedReports;
        OptEvents = optEvents;
    }

    /// <summary>The messages in delivery order (late mail already moved later).</summary>
    public IReadOnlyList<GeneratedMessage> Messages { get; }

    /// <summary>
    /// The install and monthly reports that must end up stored once every message has been processed, whatever the
    /// order: valid, not suppressed by any opt-out, one per identity.
    /// </summary>
    public IReadOnlyList<Report> AcceptedReports { get; }

    /// <summary>Every opt-out and opt-in notice generated, in order of generation.</summary>
    public IReadOnlyList<GeneratedOptEvent> OptEvents { get; }
}
