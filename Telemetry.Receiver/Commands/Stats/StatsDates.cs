using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

internal static class StatsDates
{
    public static AsOf Resolve(StatsSettings settings, CliContext cli) =>
        settings.AsOfDate is { } date ? new AsOf(date, AsOf.DefaultActiveWindow) : AsOf.Today(cli.Time);
}
