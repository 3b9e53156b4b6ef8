using Microsoft.Extensions.Logging;

namespace Telemetry.Core.Alerts;

/// <summary>Log events of the alert emails: ids and counts, never addresses, report values or credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Alert digest {Id} sent ({Flags} flags)")]
    public static partial void DigestSent(ILogger logger, long id, int flags);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Alert digest {Id} not sent (attempt {Attempt}): {Error}")]
    public static partial void DigestFailed(ILogger logger, long id, int attempt, string error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Alert digest {Id} gave up after {Attempt} attempts: {Error}")]
    public static partial void DigestGaveUp(ILogger logger, long id, int attempt, string error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "{Count} waiting alert digests merged into {Into}")]
    public static partial void DigestsMerged(ILogger logger, int count, int into);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "{Count} alert digests wait: {Max} emails were sent in the last hour")]
    public static partial void RateLimited(ILogger logger, long count, int max);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Alert digest {Id} is sent again: a previous run stopped during its delivery, so the server may have it already (same Message-ID)")]
    public static partial void Resending(ILogger logger, long id);
}
