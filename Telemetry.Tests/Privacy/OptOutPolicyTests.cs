using Telemetry.Core.Privacy;
using Telemetry.Core.Reports;

namespace Telemetry.Tests.Privacy;

public sealed class OptOutPolicyTests
{
    private static readonly ServerId Server = ServerId.Parse("OPT0-UT00-TEST-0001");
    private static readonly DateTimeOffset T = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static OptEvent Out(DateTimeOffset at) => new(Server, true, at, OptEventSource.Notice);

    private static OptEvent In(DateTimeOffset at) => new(Server, false, at, OptEventSource.Notice);

    [Test]
    public void IsSuppressed_NoEvents_KeepsEverything() =>
        Assert.That(OptOutPolicy.IsSuppressed([], T), Is.False);

    [Test]
    public void IsSuppressed_ReportGeneratedBeforeOptOut_IsSuppressedEvenIfItArrivesLater() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T)], T.AddDays(-30)), Is.True);

    [Test]
    public void IsSuppressed_ReportGeneratedAtTheOptOutInstant_IsSuppressed() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T)], T), Is.True);

    [Test]
    public void IsSuppressed_ReportAfterOptOutWithoutOptIn_IsSuppressed() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T)], T.AddDays(30)), Is.True);

    [Test]
    public void IsSuppressed_ReportAfterALaterOptIn_IsKept() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T), In(T.AddDays(10))], T.AddDays(30)), Is.False);

    [Test]
    public void IsSuppressed_ReportBetweenOptOutAndOptIn_IsSuppressed() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T), In(T.AddDays(10))], T.AddDays(5)), Is.True);

    [Test]
    public void IsSuppressed_OptInOlderThanTheOptOut_DoesNotLiftIt() =>
        Assert.That(OptOutPolicy.IsSuppressed([In(T.AddDays(-10)), Out(T)], T.AddDays(30)), Is.True);

    [Test]
    public void IsSuppressed_ReportBeforeAnOptOutThatWasLaterLifted_StaysSuppressed() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T), In(T.AddDays(10))], T.AddDays(-1)), Is.True);

    [Test]
    public void IsSuppressed_SecondOptOut_SuppressesWhatTheFirstOptInHadLetThrough() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T), In(T.AddDays(10)), Out(T.AddDays(60))], T.AddDays(30)), Is.True);

    [Test]
    public void IsSuppressed_OptInAtTheSameInstantAsTheOptOut_DoesNotLiftIt() =>
        Assert.That(OptOutPolicy.IsSuppressed([Out(T), In(T)], T.AddDays(1)), Is.True);

    [Test]
    public void IsOptedOutAt_FollowsTheLatestEventAtThatInstant()
    {
        OptEvent[] events = [Out(T), In(T.AddDays(10))];
        Assert.Multiple(() =>
        {
            Assert.That(OptOutPolicy.IsOptedOutAt(events, T.AddDays(-1)), Is.False);
            Assert.That(OptOutPolicy.IsOptedOutAt(events, T), Is.True);
            Assert.That(OptOutPolicy.IsOptedOutAt(events, T.AddDays(5)), Is.True);
            Assert.That(OptOutPolicy.IsOptedOutAt(events, T.AddDays(10)), Is.False);
        });
    }
}
