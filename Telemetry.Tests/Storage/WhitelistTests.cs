using System.Text;
using Dapper;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Storage;

/// <summary>Only the whitelisted fields reach the database file.</summary>
public sealed class WhitelistTests
{
    [Test]
    public void EnvironmentBlockUnknownFieldsAndMailHeaders_NeverReachTheDatabaseFile()
    {
        var json = TestMail.Json(
            "WHIT-ELIS-T000-0001",
            "monthly",
            "2026-11-01T02:00:00+01:00",
            reportId: "11111111-2222-4333-8444-555555555555",
            period: "2026-10-01/2026-10-31",
            extra: "\"environment\": {\"hostname\": \"wiki.secret-host.example\", \"ip\": \"10.77.66.55\", \"javaVersion\": \"17.0.9\"}, \"futureField\": \"unknown-value-xyz\"");
        using (var store = new TestStore())
        {
            store.Ingest(TestMail.WithJson(json));
            Assert.That(store.Count("reports"), Is.EqualTo(1));
            store.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            var bytes = File.ReadAllBytes(store.DatabasePath);
            var text = Encoding.Latin1.GetString(bytes);
            Assert.Multiple(() =>
            {
                Assert.That(text, Does.Contain("WHIT-ELIS-T000-0001"), "the scan can see stored values");
                Assert.That(text, Does.Not.Contain("wiki.secret-host.example"));
                Assert.That(text, Does.Not.Contain("10.77.66.55"));
                Assert.That(text, Does.Not.Contain("unknown-value-xyz"));
                Assert.That(text, Does.Not.Contain("confluence@customer.example"), "the sender is never stored");
                Assert.That(text, Does.Not.Contain("Usage report."), "the body is never stored");
            });
        }
    }
}
