using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Receiver.Cli;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Cli;

/// <summary>The command line as scripts see it: exit codes, and nothing but the result on a redirected stdout.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliTests
{
    private static readonly string Examples = Path.Combine(TestContext.CurrentContext.TestDirectory, "Corpus", "messages");

    private static int calls;

    /// <summary>Runs the command line with a clock that moves one second per command, as time does between commands.</summary>
    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var seconds = Interlocked.Increment(ref calls);
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            OutIsTerminal = false,
            ErrorIsTerminal = false,
            Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero).AddSeconds(seconds)),
        };
        var exit = TelemetryApp.Run(args, context);
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public void IngestJson_PrintsExactlyOneObjectWithTheContractKeys()
    {
        using var dir = new TempDirectory();
        var (exit, output, _) = Run("ingest", Path.Combine(Examples, "format2-monthly.eml"), Path.Combine(Examples, "not-a-report-bounce.eml"), "--db", dir.File("t.db"), "--format", "json");

        Assert.That(exit, Is.Zero);
        using var json = JsonDocument.Parse(output);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(keys, Is.EqualTo(new[] { "messages", "reports", "accepted", "duplicate", "dropped", "invalid", "unsupported", "notReport" }));
        Assert.That(json.RootElement.GetProperty("messages").GetInt64(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("accepted").GetInt64(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("notReport").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public void StatsSummaryJson_HasTheDefinedFigures()
    {
        using var dir = new TempDirectory();
        Run("ingest", Examples, "--db", dir.File("t.db"));
        var (exit, output, _) = Run("stats", "summary", "--db", dir.File("t.db"), "--as-of", "2026-11-15", "--format", "json");

        Assert.That(exit, Is.Zero);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("asOf").GetString(), Is.EqualTo("2026-11-15"));
        Assert.That(root.GetProperty("activeInstances").GetInt64(), Is.GreaterThan(10));
        foreach (var key in new[] { "silentInstances", "optedOutInstances", "users", "activeUsers" })
        {
            Assert.That(root.TryGetProperty(key, out _), Is.True, key);
        }
    }

    [Test]
    public void StatsFeaturesAndVersions_JsonArraysInTheDocumentedShape()
    {
        using var dir = new TempDirectory();
        Run("ingest", Examples, "--db", dir.File("t.db"));
        var features = JsonDocument.Parse(Run("stats", "features", "--db", dir.File("t.db"), "--as-of", "2026-11-15", "--format", "json").Out).RootElement;
        var versions = JsonDocument.Parse(Run("stats", "versions", "--of", "confluence", "--db", dir.File("t.db"), "--as-of", "2026-11-15", "--format", "json").Out).RootElement;

        Assert.That(features.GetArrayLength(), Is.GreaterThan(0));
        var first = features[0];
        Assert.That(first.GetProperty("feature").GetString(), Is.Not.Empty);
        Assert.That(first.GetProperty("share").GetDouble(), Is.InRange(0, 1));
        var instances = features.EnumerateArray().Select(f => f.GetProperty("instances").GetInt64()).ToList();
        Assert.That(instances, Is.Ordered.Descending);
        Assert.That(versions.EnumerateArray().Sum(v => v.GetProperty("share").GetDouble()), Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void StatsCsv_HasAHeaderAndOneRow()
    {
        using var dir = new TempDirectory();
        Run("ingest", Examples, "--db", dir.File("t.db"));
        var lines = Run("stats", "summary", "--db", dir.File("t.db"), "--as-of", "2026-11-15", "--format", "csv").Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0].TrimEnd('\r'), Is.EqualTo("asOf,activeWindowDays,activeInstances,silentInstances,optedOutInstances,users,activeUsers"));
    }

    [TestCase("stats", "summary", "--format", "xml")]
    [TestCase("stats", "summary", "--as-of", "15/11/2026")]
    [TestCase("stats", "versions", "--of", "java")]
    [TestCase("ingest")]
    [TestCase("ingest", "/no/such/path.eml")]
    [TestCase("optout", "add", "not-a-server-id")]
    [TestCase("frobnicate")]
    [TestCase("instance", "show", "nope")]
    [TestCase("instance", "export", "B1TW-5NYH-B6LE-ZMQS")]
    [TestCase("instance", "hold", "B1TW-5NYH-B6LE-ZMQS")]
    [TestCase("audit", "--since", "yesterday")]
    [TestCase("purge", "--as-of", "2099-01-01")]
    [TestCase("purge", "--retention-days", "731")]
    public void BadArguments_ExitWithCode2AndAClearMessage(params string[] args)
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = Run([.. args, "--db", dir.File("t.db")]);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("error: "));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void StatsOnAMissingDatabase_ExitsWith1NamingTheFile()
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = Run("stats", "summary", "--db", dir.File("missing.db"));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("missing.db"));
        Assert.That(File.Exists(dir.File("missing.db")), Is.False, "reading never creates a database");
    }

    [Test]
    public void OptOutAddListRemove_RoundTrip()
    {
        using var dir = new TempDirectory();
        var db = dir.File("t.db");
        Assert.That(Run("optout", "add", " b1tw-5nyh-b6le-zmqs ", "--reason", "asked by email", "--db", db).Exit, Is.Zero);
        var list = JsonDocument.Parse(Run("optout", "list", "--db", db, "--format", "json").Out).RootElement;
        Assert.That(list.GetArrayLength(), Is.EqualTo(1));
        Assert.That(list[0].GetProperty("serverHash").GetString(), Has.Length.EqualTo(64));
        Assert.That(Run("optout", "list", "--db", db, "--format", "json").Out, Does.Not.Contain("B1TW-5NYH-B6LE-ZMQS"), "the list never shows the plain ID");
        var check = JsonDocument.Parse(Run("optout", "check", "b1tw-5nyh-b6le-zmqs", "--db", db, "--format", "json").Out).RootElement;
        Assert.That(check.GetProperty("suppressed").GetBoolean(), Is.True);
        Assert.That(list[0].GetProperty("kind").GetString(), Is.EqualTo("optout"));

        var summary = JsonDocument.Parse(Run("stats", "summary", "--db", db, "--format", "json").Out).RootElement;
        Assert.That(summary.GetProperty("optedOutInstances").GetInt64(), Is.EqualTo(1));

        var (exit, output, _) = Run("optout", "remove", "B1TW-5NYH-B6LE-ZMQS", "--db", db);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("opted in again"));
        Assert.That(Run("optout", "check", "B1TW-5NYH-B6LE-ZMQS", "--db", db).Out, Does.Contain("is not opted out"));
    }

    [Test]
    public void InstanceForgetThenShow_ShowsNothingHeldButTheOptOut()
    {
        using var dir = new TempDirectory();
        var db = dir.File("t.db");
        Run("ingest", Path.Combine(Examples, "format2-monthly.eml"), "--db", db);
        var dry = Run("instance", "forget", "0IBY-YURL-65B4-KJ4H", "--dry-run", "--db", db);
        Assert.That(dry.Out, Does.Contain("reports: 1"));
        Assert.That(Run("instance", "forget", "0IBY-YURL-65B4-KJ4H", "--reason", "asked", "--db", db).Exit, Is.Zero);

        var shown = JsonDocument.Parse(Run("instance", "show", "0IBY-YURL-65B4-KJ4H", "--format", "json", "--db", db).Out).RootElement;
        Assert.That(shown.GetProperty("reports").GetArrayLength(), Is.Zero);
        Assert.That(shown.GetProperty("optedOut").GetBoolean(), Is.True);
        var audit = JsonDocument.Parse(Run("audit", "--format", "json", "--db", db).Out).RootElement;
        Assert.That(audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()), Does.Contain("forget"));
    }

    [Test]
    public void Backup_IsACheckedOwnerOnlyCopyWithTheSameData()
    {
        using var dir = new TempDirectory();
        var db = dir.File("t.db");
        Run("ingest", Examples, "--db", db);
        var (exit, output, _) = Run("backup", "--out", dir.File("copy.db"), "--db", db);

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("integrity check: ok"));
        Assert.That(File.GetUnixFileMode(dir.File("copy.db")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        File.Copy(dir.File("t.key"), dir.File("copy.key"));
        var original = Run("stats", "summary", "--db", db, "--as-of", "2026-11-15", "--format", "json").Out;
        Assert.That(Run("stats", "summary", "--db", dir.File("copy.db"), "--as-of", "2026-11-15", "--format", "json").Out, Is.EqualTo(original));
        Assert.That(Run("backup", "--out", dir.File("copy.db"), "--db", db).Exit, Is.EqualTo(2), "never overwrites");
        Assert.That(Run("backup", "--out", dir.File("none.db"), "--db", dir.File("missing.db")).Exit, Is.EqualTo(1));
        Assert.That(File.Exists(dir.File("none.db")), Is.False, "a failed backup leaves no file behind");
    }

    [Test]
    public void OutreachCsv_NeutralisesCellsASpreadsheetWouldRun()
    {
        using var dir = new TempDirectory();
        var db = dir.File("t.db");
        var report = TestMail.WithJson(TestMail.Json(
            "OUTR-EACH-CSV0-0001", "monthly", "2026-11-01T02:00:00Z", period: "2026-10-01/2026-10-31", confluenceVersion: "7.0.0",
            extra: "\"contact\": {\"email\": \"=HYPERLINK(\\\"http://evil.example\\\")\"}"));
        File.WriteAllBytes(dir.File("r.eml"), report);
        Assert.That(Run("ingest", dir.File("r.eml"), "--db", db).Exit, Is.Zero);

        var (exit, output, _) = Run("outreach", "list", "--db", db, "--format", "csv");

        Assert.That(exit, Is.Zero);
        var row = output.Split('\n').Single(l => l.Contains("OUTR-EACH-CSV0-0001", StringComparison.Ordinal));
        Assert.That(row, Does.Contain("'=HYPERLINK"), "escaped with a leading quote");
        Assert.That(row, Does.Not.Contain(",=HYPERLINK"));
        Assert.That(Run("health", "list", "--db", db, "--format", "json").Out, Does.Contain("unsupported-confluence"));
    }

    [Test]
    public void SamplesLoad_FillsANewDatabase_AndRefusesOneThatHoldsReports()
    {
        using var dir = new TempDirectory();
        var db = dir.File("t.db");

        var (exit, output, error) = Run("samples", "load", "--db", db, "--instances", "30", "--months", "12", "--seed", "5");

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.StartWith("Loaded ").And.Contains(" reports of ").And.Contains("30 instances, 12 months to 2026-10, seed 5"));
        Assert.That(error, Is.Empty);
        var summary = JsonDocument.Parse(Run("stats", "summary", "--db", db, "--as-of", "2026-11-15", "--format", "json").Out).RootElement;
        Assert.That(summary.GetProperty("activeInstances").GetInt64(), Is.GreaterThan(10));

        var again = Run("samples", "load", "--db", db, "--instances", "30", "--months", "12");
        Assert.That(again.Exit, Is.EqualTo(2));
        Assert.That(again.Error, Does.StartWith("error: ").And.Contains("already holds"));
        Assert.That(again.Out, Is.Empty);
    }

    [Test]
    public void SamplesHostile_WritesTheCasesAsked_ThatIngestRecordsAsInvalid()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "hostile");
        var (exit, output, _) = Run("samples", "hostile", "--out", folder, "--only", "nul-bytes", "--only", "deep-nesting");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("01-deep-nesting.eml").And.Contain("12-nul-bytes.eml"));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "01-deep-nesting.eml", "12-nul-bytes.eml" }));
        using var json = JsonDocument.Parse(Run("ingest", folder, "--db", dir.File("t.db"), "--format", "json").Out);
        Assert.That(json.RootElement.GetProperty("invalid").GetInt64(), Is.EqualTo(2));
        Assert.That(Run("samples", "hostile", "--out", folder, "--only", "no-such-case").Exit, Is.EqualTo(TelemetryApp.ExitUsage));
    }

    [Test]
    public void Help_OnEveryCommand_ExitsZero()
    {
        foreach (var command in new[] { new[] { "--help" }, ["ingest", "--help"], ["stats", "summary", "--help"], ["stats", "features", "--help"], ["stats", "versions", "--help"], ["optout", "add", "--help"], ["optout", "list", "--help"], ["samples", "generate", "--help"], ["samples", "load", "--help"], ["samples", "hostile", "--help"], ["instance", "show", "--help"], ["instance", "export", "--help"], ["instance", "forget", "--help"], ["instance", "hold", "--help"], ["instance", "release", "--help"], ["audit", "--help"], ["purge", "--help"], ["optout", "check", "--help"], ["run", "--help"], ["status", "--help"], ["backup", "--help"], ["health", "list", "--help"], ["health", "evaluate", "--help"], ["health", "ack", "--help"], ["health", "snooze", "--help"], ["health", "show", "--help"], ["outreach", "list", "--help"], ["auth", "google", "--help"], ["alerts", "retry", "--help"] })
        {
            var (exit, output, _) = Run(command);
            Assert.That(exit, Is.Zero, string.Join(' ', command));
            Assert.That(output, Does.Contain("USAGE"), string.Join(' ', command));
        }
    }
}
