using Microsoft.Extensions.Logging;

namespace Telemetry.Core.Mailbox;

/// <summary>Log events of the mailboxes. Never credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Connected to {Mailbox}")]
    public static partial void ImapConnected(ILogger logger, string mailbox);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "IMAP step failed ({Error}); attempt {Attempt} in {Delay}")]
    public static partial void ImapRetry(ILogger logger, int attempt, string error, TimeSpan delay);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The server has no UIDPLUS: {Count} messages flagged as deleted but not expunged (a mailbox-wide EXPUNGE would touch other mail)")]
    public static partial void NoUidPlus(ILogger logger, int count);
}
