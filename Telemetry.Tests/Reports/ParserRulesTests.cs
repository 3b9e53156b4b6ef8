using System.Text;
using Telemetry.Core.Reports;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Reports;

public sealed class ParserRulesTests
{
    private static ParseResult Parse(string json) => Format2Parser.Parse(Encoding.UTF8.GetBytes(json));

    [TestCase(" b1tw-5nyh-b6le-zmqs ", "B1TW-5NYH-B6LE-ZMQS")]
    [TestCase("B1TW-5NYH-B6LE-ZMQS", "B1TW-5NYH-B6LE-ZMQS")]
    public void ServerId_IsTrimmedAndUpperCased(string text, string expected) =>
        Assert.That(ServerId.Parse(text).Value, Is.EqualTo(expected));

    [TestCase("B1TW-5NYH-B6LE")]
    [TestCase("B1TW-5NYH-B6LE-ZMQS-AAAA")]
    [TestCase("B1TW_5NYH_B6LE_ZMQS")]
    [TestCase("B1TW-5NYH-B6LE-ZMQ!")]
    [TestCase("B1TW-5NYH-B6LÉ-ZMQS")]
    [TestCase("")]
    public void ServerId_OtherShapes_AreRejected(string text) =>
        Assert.That(ServerId.TryParse(text, out _), Is.False);

    [Test]
    public void Format2_MonthlyWithEverything_KeepsOnlyWhitelistedFields()
    {
        var result = Parse(TestMail.Json("B1TW-5NYH-B6LE-ZMQS", "monthly", "2026-11-01T02:00:03+01:00", reportId: "0b6f5a0e-5c7e-4a55-9e8c-0c5d0f7e2a11", period: "2026-10-01/2026-10-31", userCount: 412, activeUsers: 35));
        var r = result.Report!;
        Assert.Multiple(() =>
        {
            Assert.That(r.Kind, Is.EqualTo(ReportKind.Monthly));
            Assert.That(r.GeneratedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 1, 1, 0, 3, TimeSpan.Zero)));
            Assert.That(r.GeneratedAt.Offset, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(r.Period, Is.EqualTo(new ReportPeriod(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31))));
            Assert.That(r.Confluence.UserCount, Is.EqualTo(412));
            Assert.That(r.Usage.ActiveUsers, Is.EqualTo(35));
            Assert.That(r.Identity.Key, Is.EqualTo("id:0b6f5a0e-5c7e-4a55-9e8c-0c5d0f7e2a11"));
        });
    }

    [Test]
    public void Format2_WithoutReportId_UsesTheFallbackIdentity()
    {
        var monthly = Parse(TestMail.Json("B1TW-5NYH-B6LE-ZMQS", "monthly", "2026-11-01T02:00:03+01:00", period: "2026-10-01/2026-10-31")).Report!;
        var install = Parse(TestMail.Json("B1TW-5NYH-B6LE-ZMQS", "install", "2026-11-01T02:00:03+01:00")).Report!;
        Assert.That(monthly.Identity.Key, Is.EqualTo("fallback:B1TW-5NYH-B6LE-ZMQS/monthly/2026-10-01"));
        Assert.That(install.Identity.Key, Is.EqualTo("fallback:B1TW-5NYH-B6LE-ZMQS/install/2026-11-01T01:00:03.0000000Z"));
    }

    [TestCase("\"usage\": {\"queries\": -1}", "usage.queries")]
    [TestCase("\"usage\": {\"queries\": 1.5}", "usage.queries")]
    [TestCase("\"usage\": {\"queries\": \"12\"}", "usage.queries")]
    [TestCase("\"usage\": {\"newCounter\": -2}", "usage.newCounter")]
    [TestCase("\"features\": {\"formulas\": -1}", "features.formulas")]
    [TestCase("\"errors\": {\"queryErrors\": true}", "errors.queryErrors")]
    [TestCase("\"connections\": [{\"type\": \"h2\", \"count\": -1}]", "connections[0].count")]
    [TestCase("\"confluence\": {\"userCount\": -4}", "confluence.userCount")]
    [TestCase("\"confluence\": {\"edition\": \"cloud\"}", "confluence.edition")]
    public void Format2_BrokenRule_IsInvalidNamingTheField(string fragment, string field)
    {
        var json = "{\"format\": \"playsql-report\", \"formatVersion\": 2, \"kind\": \"install\", \"serverId\": \"B1TW-5NYH-B6LE-ZMQS\", \"generatedAt\": \"2026-11-01T02:00:03Z\", " + fragment + "}";
        var result = Parse(json);
        Assert.That(result.Rejection, Is.EqualTo(Outcome.Invalid));
        Assert.That(result.Reason, Does.Contain(field));
    }

    [Test]
    public void Format2_IntegralNumberWrittenWithADecimalPoint_IsAnInteger() =>
        Assert.That(Parse("{\"format\": \"playsql-report\", \"formatVersion\": 2.0, \"kind\": \"install\", \"serverId\": \"B1TW-5NYH-B6LE-ZMQS\", \"generatedAt\": \"2026-11-01T02:00:03Z\", \"usage\": {\"queries\": 12.0}}").Report?.Usage.Queries, Is.EqualTo(12));

    [TestCase(3, Outcome.Unsupported)]
    [TestCase(17, Outcome.Unsupported)]
    [TestCase(1, Outcome.Invalid)]
    [TestCase(0, Outcome.Invalid)]
    public void Format2_VersionOtherThanTwo(int version, Outcome expected) =>
        Assert.That(Parse($"{{\"format\": \"playsql-report\", \"formatVersion\": {version}, \"whatever\": 1}}").Rejection, Is.EqualTo(expected));

    [TestCase("2026-11-01T02:00:03")]
    [TestCase("2026-11-01")]
    [TestCase("01/11/2026 02:00")]
    [TestCase("2026-13-01T02:00:03Z")]
    [TestCase("\u0662\u0660\u0662\u0666-11-01T02:00:03Z")]
    [TestCase("2026-11-01T02:00:03+\u0660\u0661:00")]
    [TestCase("\uFF12\uFF10\uFF12\uFF16-11-01T02:00:03Z")]
    public void Format2_GeneratedAtWithoutOffsetOrMalformed_IsInvalid(string at) =>
        Assert.That(Parse(TestMail.Json("B1TW-5NYH-B6LE-ZMQS", "install", at)).Reason, Does.Contain("generatedAt"));

    /// <summary>Digits of other scripts look like digits to a regular expression's \d but not to int.Parse.</summary>
    [TestCase("\u0662\u0660\u0661\u0666-05-01T02:00:00Z")]
    [TestCase("2016-05-01T02:00:00-\u0660\u0662")]
    public void Format1_GeneratedAtWithDigitsOfAnotherScript_IsInvalid(string at) =>
        Assert.That(
            Format1Parser.ParseAll($"--- BEGIN PLAY SQL REPORT ---\nReport-Version: 1\nKind: install\nServer-Id: EXGB-2LR0-M9KM-82ZI\nGenerated-At: {at}\n--- END PLAY SQL REPORT ---").Single().Reason,
            Does.Contain("\"Generated-At\"").And.Contain("is not an ISO 8601 date"));

    [Test]
    public void Format2_CounterNames_AreCleanedAndBounded_AndReasonsQuoteAtMost40Characters()
    {
        var longName = new string('f', 300);
        var ok = Parse("{\"format\": \"playsql-report\", \"formatVersion\": 2, \"kind\": \"install\", \"serverId\": \"B1TW-5NYH-B6LE-ZMQS\", \"generatedAt\": \"2026-11-01T02:00:03Z\", \"features\": {\"a\\u0007b\": 1, \"" + longName + "\": 2}}").Report!;
        Assert.That(ok.Features.Select(f => f.Name), Is.EqualTo(new[] { "ab", new string('f', 256) }));

        var bad = Parse("{\"format\": \"playsql-report\", \"formatVersion\": 2, \"kind\": \"install\", \"serverId\": \"B1TW-5NYH-B6LE-ZMQS\", \"generatedAt\": \"2026-11-01T02:00:03Z\", \"usage\": {\"contact jane.admin@customer-company.example please\": -1}}");
        Assert.That(bad.Reason, Does.Not.Contain("please"));
    }

    [Test]
    public void Format2_OptOutNotice_KeepsOnlyItsIdentity()
    {
        var r = Parse("{\"format\": \"playsql-report\", \"formatVersion\": 2, \"reportId\": \"ac8f1f56-2fa1-8767-ab14-5043d7141ac2\", \"kind\": \"optout\", \"serverId\": \"NOUX-JUGN-33BS-RPWG\", \"generatedAt\": \"2026-11-01T02:00:03+01:00\", \"contact\": {\"email\": \"x@y.example\"}}").Report!;
        Assert.That(r.Kind, Is.EqualTo(ReportKind.OptOut));
        Assert.That(r.Contact, Is.Null);
    }

    [Test]
    public void Format1_QuotedIndentedBlock_WithCaseInsensitiveKeys_Parses()
    {
        var text = """
            Forwarded:
            > > --- BEGIN PLAY SQL REPORT ---
            > > report-version: 1
            > >   KIND: monthly
            > > Server-ID:  exgb-2lr0-m9km-82zi
            > > Generated-At: 2016-05-01T02:00:00+02:00
            > > Period: 2016-04-01/2016-04-30
            > > Connections:
            > > Features: formulas=10, excel-import=2
            > > Some-Future-Key: ignored
            > > --- END PLAY SQL REPORT ---
            """;
        var results = Format1Parser.ParseAll(text).ToList();
        var r = results.Single().Report!;
        Assert.Multiple(() =>
        {
            Assert.That(r.ServerId.Value, Is.EqualTo("EXGB-2LR0-M9KM-82ZI"));
            Assert.That(r.Connections, Is.Empty);
            Assert.That(r.Feature("excel-import"), Is.EqualTo(2));
            Assert.That(r.Identity.Key, Is.EqualTo("fallback:EXGB-2LR0-M9KM-82ZI/monthly/2016-04-01"));
        });
    }

    [Test]
    public void Format1_BlockWithoutEnd_IsInvalid() =>
        Assert.That(Format1Parser.ParseAll("--- BEGIN PLAY SQL REPORT ---\nReport-Version: 1\n").Single().Reason, Does.Contain("no END line"));

    [Test]
    public void Format1_OptOutKind_IsInvalid() =>
        Assert.That(
            Format1Parser.ParseAll("--- BEGIN PLAY SQL REPORT ---\nReport-Version: 1\nKind: optout\nServer-Id: EXGB-2LR0-M9KM-82ZI\nGenerated-At: 2016-05-01T02:00:00Z\n--- END PLAY SQL REPORT ---").Single().Reason,
            Does.Contain("Kind"));
}
