using Microsoft.Extensions.Logging;

namespace Telemetry.Core.Privacy;

/// <summary>Log events of opt-outs and erasure. Server IDs are not logged at Information level.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Opt-out recorded: {Erased} stored reports erased")]
    public static partial void OptOutErased(ILogger logger, int erased);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Retention task {Task} (dry run: {DryRun}): {Rows}; {Instances} instances")]
    public static partial void RetentionTask(ILogger logger, string task, bool dryRun, string rows, long instances);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Retention task {Task} failed: {Error}")]
    public static partial void RetentionTaskFailed(ILogger logger, string task, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "An opted-out instance is under legal hold: its stored reports are kept until the hold is released")]
    public static partial void ErasureDeferredByHold(ILogger logger);
}
