using Telemetry.Receiver.Cli;

return TelemetryApp.Run(args, CliContext.ForProcess());
