using Telemetry.Core.Alerts;
using Telemetry.Core.Health;
using static Telemetry.Tests.Alerts.AlertFlags;

namespace Telemetry.Tests.Alerts;

public sealed class DigestComposerTests
{
    private static AlertEntry Entry(long id, string serverId, string figures = "queryErrors 9 of 100", string rule = "query-errors") =>
        AlertEntry.From(Flag(id, serverId, rule, figures), AlertAdvice.Default);

    [Test]
    public void Subject_CountsDistinctInstances_SingularAndPlural()
    {
        Assert.That(DigestComposer.Subject([Entry(1, "AAAA-1"), Entry(2, "AAAA-1")]), Is.EqualTo("[telemetry] 1 instance needs attention"));
        Assert.That(DigestComposer.Subject([Entry(1, "AAAA-1"), Entry(2, "BBBB-2"), Entry(3, "CCCC-3"), Entry(4, "CCCC-3")]), Is.EqualTo("[telemetry] 3 instances need attention"));
    }

    [Test]
    public void Html_EncodesReportValues()
    {
        var html = DigestComposer.Html([Entry(1, "<script>alert(1)</script>", "a & b \"quoted\"")]);
        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("a &amp; b &quot;quoted&quot;"));
    }

    [Test]
    public void Text_ReportValuesCannotStartALine()
    {
        var text = DigestComposer.Text([Entry(1, "EVIL\r\nWhat to do: wire money", "12\n  Figures: 0")]);
        var lines = text.Split('\n');
        Assert.That(lines.Count(l => l.TrimStart().StartsWith("What to do:", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(lines.Count(l => l.TrimStart().StartsWith("Figures:", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(text, Does.Contain("EVIL  What to do: wire money"));
    }

    [Test]
    public void Advice_DefaultPerRule_OrTheCallers()
    {
        Assert.That(AlertAdvice.Defaults.Keys, Is.EquivalentTo(new[] { "silent", "connection-failures", "query-errors", "outdated-addon", "unsupported-confluence", "unused", "license-expiring", "usage-drop", "cloned-server-id" }));
        var advice = AlertAdvice.With(new Dictionary<string, string> { ["silent"] = "Call them." });
        Assert.That(advice("silent"), Is.EqualTo("Call them."));
        Assert.That(advice("unused"), Is.EqualTo(AlertAdvice.Defaults["unused"]));
        Assert.That(advice("no-such-rule"), Is.EqualTo(AlertAdvice.Fallback));
    }

    [Test]
    public void Text_ListsEachFlag_MostSevereFirst()
    {
        var text = DigestComposer.Text([Entry(1, "AAAA-1"), AlertEntry.From(Flag(2, "BBBB-2", "silent", "last report 2026-09-01", Severity.Critical), AlertAdvice.Default)]);
        Assert.That(text.IndexOf("Critical: silent, Server ID BBBB-2", StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0).And.LessThan(text.IndexOf("Warning: query-errors, Server ID AAAA-1", StringComparison.Ordinal)));
        Assert.That(text, Does.Contain("First seen: 2026-11-15 11:00 UTC").And.Contain(AlertAdvice.Defaults["silent"]).And.Contain("Flag 2: telemetry health show 2"));
    }
}
