using Telemetry.Core.Health;

namespace Telemetry.Core.Alerts;

/// <summary>What a digest says about one flag, as stored in the outbox (values from reports kept raw; encoded when rendered).</summary>
public sealed record AlertEntry(long FlagId, string ServerId, string Rule, Severity Severity, string Figures, DateTimeOffset FirstSeen, string Advice)
{
    public static AlertEntry From(HealthFlag flag, Func<string, string> advice) =>
        new(flag.Id, flag.ServerId, flag.Rule, flag.Severity, flag.Figures, flag.FirstSeen, advice(flag.Rule));
}
