using Spectre.Console.Cli;
using Telemetry.Core.Alerts;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands;

/// <summary><c>telemetry alerts retry</c>: puts alert emails that gave up back in the queue, for the service's next pass.</summary>
public sealed class AlertsRetryCommand(CliContext cli) : Command<DatabaseSettings>
{
    public override int Execute(CommandContext context, DatabaseSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var count = AlertOutbox.RetryFailed(connection);
        cli.Out.WriteLine(count == 0
            ? "No failed alert email."
            : $"{count} failed alert emails are waiting again; the service sends them at its next pass.");
        return TelemetryApp.ExitOk;
    }
}
