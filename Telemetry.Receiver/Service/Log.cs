using Microsoft.Extensions.Logging;

namespace Telemetry.Receiver.Service;

/// <summary>Log events of the service. Never credentials, never report content at Information level.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Receiver started on {Mailbox}, database {Database}")]
    public static partial void Started(ILogger logger, string mailbox, string database);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Cycle: {Messages} messages ({Accepted} accepted, {Duplicate} duplicate, {Dropped} dropped, {Invalid} invalid, {Unsupported} unsupported, {NotReport} not a report) in {ElapsedMs} ms; {Expired} processed messages expired")]
    public static partial void Cycle(ILogger logger, long messages, long accepted, long duplicate, long dropped, long invalid, long unsupported, long notReport, long elapsedMs, int expired);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Cycle failed, next try in {Delay}: {Error}")]
    public static partial void CycleFailed(ILogger logger, TimeSpan delay, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Daily retention: {Rows}")]
    public static partial void Retention(ILogger logger, string rows);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The mailbox connection is in cleartext (Telemetry:Mailbox:Imap:Security None, AllowInsecure true): credentials and reports cross the network unencrypted")]
    public static partial void Insecure(ILogger logger);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Receiver stopping")]
    public static partial void Stopping(ILogger logger);
}
