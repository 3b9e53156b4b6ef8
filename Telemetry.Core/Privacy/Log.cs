using Microsoft.Extensions.Logging;

namespace Telemetry.Core.Privacy;

/// <summary>Log events of opt-outs and erasure. Server IDs are not logged at Information level.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Opt-out recorded: {Erased} stored reports erased")]
    public static partial void OptOutErased(ILogger logger, int erased);
}
