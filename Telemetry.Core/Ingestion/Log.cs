using Microsoft.Extensions.Logging;

namespace Telemetry.Core.Ingestion;

/// <summary>Log events of ingestion. Never report bodies, addresses or credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Message {Origin}: {Outcome} ({Reports} reports){Detail}")]
    public static partial void MessageHandled(ILogger logger, string origin, string outcome, int reports, string detail);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "Ingested {Messages} messages in {ElapsedMs} ms: {Reports} reports, {Accepted} accepted, {Duplicate} duplicate, {Dropped} dropped, {Invalid} invalid, {Unsupported} unsupported, {NotReport} not a report")]
    public static partial void CycleSummary(ILogger logger, long messages, long elapsedMs, long reports, long accepted, long duplicate, long dropped, long invalid, long unsupported, long notReport);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Message {Origin} could not be processed: {Error}")]
    public static partial void MessageFailed(ILogger logger, string origin, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Deleted {Count} processed messages past their keeping time from {Mailbox}")]
    public static partial void ProcessedMailExpired(ILogger logger, int count, string mailbox);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Message {Origin} stopped the receiver {Attempts} times: set aside under Failed")]
    public static partial void PoisonMessage(ILogger logger, string origin, int attempts);
}
