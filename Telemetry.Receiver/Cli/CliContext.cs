using Microsoft.Extensions.Logging;

using Spectre.Console;

namespace Telemetry.Receiver.Cli;

/// <summary>
/// What commands write to and read the time from. The process uses the real console; tests pass their own
/// writers and a fake clock.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>True when standard output is a terminal (tables and charts); false when redirected.</summary>
    public required bool OutIsTerminal { get; init; }

    /// <summary>True when standard error is a terminal (progress display).</summary>
    public required bool ErrorIsTerminal { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    public static CliContext ForProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };

    /// <summary>
    /// A console for people on standard output. Redirected (to a file, a pager, a mail), tables are laid out 160
    /// columns wide rather than wrapped at 80.
    /// </summary>
    public IAnsiConsole OutConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = OutIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = OutIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = OutIsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!OutIsTerminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    /// <summary>A console for progress and errors on standard error.</summary>
    public IAnsiConsole ErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Error),
        Ansi = ErrorIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = ErrorIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = ErrorIsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
    });

    public ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(MinimumLogLevel)
        .AddProvider(new TextWriterLoggerProvider(Error, MinimumLogLevel)));
}
