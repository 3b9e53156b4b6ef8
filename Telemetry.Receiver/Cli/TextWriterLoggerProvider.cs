using Microsoft.Extensions.Logging;

namespace Telemetry.Receiver.Cli;

/// <summary>A plain one-line-per-event logger for the command line, writing to standard error.</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly TextWriter writer = writer;
    private readonly LogLevel minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriterLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "error",
                _ => "crit",
            };
            var name = category[(category.LastIndexOf('.') + 1)..];
            lock (owner.gate)
            {
                owner.writer.WriteLine($"{level}: {name}[{eventId.Id}] {formatter(state, exception)}");
            }
        }
    }
}
