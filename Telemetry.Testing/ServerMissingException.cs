namespace Telemetry.Testing;

/// <summary>A server the integration tests need is not installed: they fail (never skip) with this.</summary>
public sealed class ServerMissingException(string message) : Exception(message);
