using System.Text;
using System.Text.Json;

using MimeKit;

using NUnit.Framework;

using Telemetry.Core.Reports;
using Telemetry.Core.Samples;

namespace Telemetry.Tests.Samples;

public sealed class CorpusGeneratorTests
{
    /// <summary>Enough instances and awkwardness for every variant to show up, small enough to stay quick.</summary>
    private static readonly CorpusOptions Rich = new()
    {
        Instances = 300,
        Months = 8,
        Seed = 2026,
        OptOutRate = 0.25,
        DuplicateRate = 0.05,
        ResendRate = 0.05,
        LateRate = 0.1,
        InvalidRate = 0.03,
        FutureFormatRate = 0.01,
    };

    private static readonly string[] AllOutcomes = ["accepted", "duplicate", "dropped", "invalid", "unsupported", "not-a-report"];

    private static readonly string[] Variants =
    [
        "application/gzip", "application/octet-stream", "Content-Transfer-Encoding: quoted-printable", "message/rfc822",
        "charset=iso-8859-1", "charset=windows-1252", "Subject: [EXTERNAL] ", "multipart/report", "Auto-Submitted: auto-replied",
        "> --- BEGIN PLAY SQL REPORT ---", "Fwd: Play SQL reports (backlog)", "multipart/alternative",
    ];

    private GeneratedCorpus _rich = null!;

    [OneTimeSetUp]
    public void GenerateRichCorpus() => _rich = new CorpusGenerator(Rich).Generate();

    [Test]
    public void Generate_SameSeed_GivesTheSameBytes()
    {
        var a = new CorpusGenerator(new CorpusOptions { Seed = 7 }).Generate().Messages;
        var b = new CorpusGenerator(new CorpusOptions { Seed = 7 }).Generate().Messages;

        Assert.That(a, Has.Count.GreaterThan(50));
        Assert.That(b.Select(m => m.Name), Is.EqualTo(a.Select(m => m.Name)));
        for (var i = 0; i < a.Count; i++)
        {
            Assert.That(b[i].Content, Is.EqualTo(a[i].Content), $"message {i} ({a[i].Name})");
        }
    }

    [Test]
    public void Generate_OtherSeed_GivesOtherMessages()
    {
        var a = new CorpusGenerator(new CorpusOptions { Seed = 7 }).Generate().Messages;
        var b = new CorpusGenerator(new CorpusOptions { Seed = 8 }).Generate().Messages;

        Assert.That(b[0].Content, Is.Not.EqualTo(a[0].Content));
    }

    [Test]
    public void Stream_GivesTheMessagesOfGenerate_InTheSameOrder()
    {
        var options = new CorpusOptions { Seed = 11, Instances = 40 };
        var generated = new CorpusGenerator(options).Generate().Messages;
        var streamed = new CorpusGenerator(options).Stream().ToList();

        Assert.That(streamed, Has.Count.EqualTo(generated.Count));
        for (var i = 0; i < generated.Count; i++)
        {
            Assert.That(streamed[i].Content, Is.EqualTo(generated[i].Content));
            Assert.That(streamed[i].Expected.Select(e => e.Outcome), Is.EqualTo(generated[i].Expected.Select(e => e.Outcome)));
        }
    }

    [Test]
    public void Generate_DefaultOptions_GivesAboutSixReportsPerInstance()
    {
        var corpus = new CorpusGenerator(new CorpusOptions()).Generate();

        Assert.That(corpus.Messages, Has.Count.InRange(60, 200));
        Assert.That(corpus.AcceptedReports.Select(r => r.ServerId).Distinct().Count(), Is.InRange(15, 20));
        Assert.That(corpus.AcceptedReports.Count(r => r.Kind == ReportKind.Install), Is.InRange(15, 20));
    }

    [Test]
    public void EveryMessage_ParsesWithMimeKit_WithSenderDateAndMessageId()
    {
        foreach (var m in _rich.Messages)
        {
            using var stream = new MemoryStream(m.Content);
            var message = MimeMessage.Load(stream);
            Assert.That(message.From.Mailboxes.Count(), Is.EqualTo(1), m.Name);
            Assert.That(message.MessageId, Is.Not.Null.And.Not.Empty, m.Name);
            Assert.That(message.Headers.Contains(HeaderId.Date), Is.True, m.Name);
        }
    }

    [Test]
    public void EveryExpectedItem_IsWhatTheParsersRead()
    {
        foreach (var m in _rich.Messages)
        {
            var found = ReportFinder.Find(m.Content);
            if (m.Expected is [{ Outcome: "not-a-report" }])
            {
                Assert.That(found, Is.Empty, m.Name);
                continue;
            }

            Assert.That(found, Has.Count.EqualTo(m.Expected.Count), m.Name);
            for (var i = 0; i < found.Count; i++)
            {
                var expected = m.Expected[i];
                switch (expected.Outcome)
                {
                    case "invalid":
                        Assert.That(found[i].Rejection, Is.EqualTo(Outcome.Invalid), m.Name);
                        break;
                    case "unsupported":
                        Assert.That(found[i].Rejection, Is.EqualTo(Outcome.Unsupported), m.Name);
                        break;
                    default:
                        Assert.That(found[i].Reason, Is.Null, m.Name);
                        Assert.That(Json(found[i].Report!), Is.EqualTo(Json(expected.Report!)), m.Name);
                        break;
                }
            }
        }
    }

    [Test]
    public void AcceptedReports_RoundTripThroughTheParsers()
    {
        var parsed = new Dictionary<string, Report>();
        foreach (var m in _rich.Messages)
        {
            foreach (var result in ReportFinder.Find(m.Content))
            {
                if (result.Report is { } r)
                {
                    parsed[r.Identity.Key] = r;
                }
            }
        }

        Assert.That(_rich.AcceptedReports, Has.Count.GreaterThan(1000));
        foreach (var expected in _rich.AcceptedReports)
        {
            Assert.That(parsed.TryGetValue(expected.Identity.Key, out var actual), Is.True, expected.Identity.Key);
            Assert.That(actual!.ServerId, Is.EqualTo(expected.ServerId));
            Assert.That(actual.Kind, Is.EqualTo(expected.Kind));
            Assert.That(actual.GeneratedAt, Is.EqualTo(expected.GeneratedAt));
            Assert.That(actual.GeneratedAt.Offset, Is.EqualTo(expected.GeneratedAt.Offset));
            Assert.That(Json(actual), Is.EqualTo(Json(expected)));
        }
    }

    [Test]
    public void AcceptedReports_NeverHoldAReportGeneratedAtOrBeforeAnOptOut()
    {
        var optOuts = _rich.OptEvents.Where(e => e.Kind == ReportKind.OptOut).ToList();

        Assert.That(optOuts, Has.Count.GreaterThan(10));
        Assert.That(_rich.OptEvents.Count(e => e.Kind == ReportKind.OptIn), Is.GreaterThan(3));
        foreach (var optOut in optOuts)
        {
            var before = _rich.AcceptedReports.Where(r => r.ServerId == optOut.ServerId && r.GeneratedAt <= optOut.GeneratedAt);
            Assert.That(before, Is.Empty, $"{optOut.ServerId} opted out at {optOut.GeneratedAt:O}");
        }
    }

    [Test]
    public void AcceptedReports_ResumeAfterAnOptIn()
    {
        var resumed = _rich.OptEvents
            .Where(e => e.Kind == ReportKind.OptIn)
            .Count(optIn => _rich.AcceptedReports.Any(r => r.ServerId == optIn.ServerId && r.GeneratedAt > optIn.GeneratedAt));

        Assert.That(resumed, Is.GreaterThan(0));
    }

    [Test]
    public void ReplayInDeliveryOrder_GivesTheExpectedOutcomes_AndEndsOnTheGroundTruth()
    {
        var (outcomes, stored) = Replay(_rich.Messages);

        for (var i = 0; i < _rich.Messages.Count; i++)
        {
            Assert.That(outcomes[i], Is.EqualTo(_rich.Messages[i].Expected.Select(e => e.Outcome).ToList()), _rich.Messages[i].Name);
        }

        Assert.That(stored.Keys.Order(), Is.EqualTo(_rich.AcceptedReports.Select(r => r.Identity.Key).Order()));
    }

    [Test]
    public void ReplayInReverseOrder_EndsOnTheSameGroundTruth()
    {
        var (_, stored) = Replay(_rich.Messages.Reverse().ToList());

        Assert.That(stored.Keys.Order(), Is.EqualTo(_rich.AcceptedReports.Select(r => r.Identity.Key).Order()));
    }

    [Test]
    public void RichCorpus_HoldsEveryOutcomeAndEveryVariant()
    {
        var outcomes = _rich.Messages.SelectMany(m => m.Expected).Select(e => e.Outcome).ToHashSet();
        Assert.That(outcomes, Is.EquivalentTo(AllOutcomes));

        var text = string.Join("\n", _rich.Messages.Select(m => Encoding.Latin1.GetString(m.Content)));
        foreach (var marker in Variants)
        {
            Assert.That(text, Does.Contain(marker));
        }

        Assert.That(_rich.Messages.Count(m => m.Expected.Count == 2), Is.GreaterThan(0));
        Assert.That(_rich.AcceptedReports.Count(r => r.ReportId is null && r.FormatVersion == 2), Is.GreaterThan(0));
        Assert.That(_rich.AcceptedReports.Count(r => r.FormatVersion == 1), Is.GreaterThan(0));
        Assert.That(_rich.AcceptedReports.Count(r => r.Contact is not null), Is.GreaterThan(0));
    }

    [Test]
    public void AcceptedReports_StayWithinRealisticRanges()
    {
        foreach (var r in _rich.AcceptedReports)
        {
            Assert.That(r.Confluence.UserCount, Is.InRange(5, 20000));
            Assert.That(r.Usage.ActiveUsers, Is.LessThanOrEqualTo(r.Confluence.UserCount!.Value));
            Assert.That(r.Addon.Version, Does.StartWith(r.FormatVersion == 1 ? "3." : "4."));
            Assert.That(r.Confluence.Version, Does.Match(@"^(5\.(9|10)|[6-9]\.\d+)\.\d+$"));
            if (r.Kind == ReportKind.Monthly)
            {
                var local = r.GeneratedAt.DateTime;
                Assert.That((local.Day, local.Hour), Is.EqualTo((1, 2)), r.Identity.Key);
                var month = DateOnly.FromDateTime(local).AddMonths(-1);
                Assert.That(r.Period, Is.EqualTo(new ReportPeriod(month, month.AddMonths(1).AddDays(-1))));
            }

            if (r.Confluence.Edition == "datacenter")
            {
                Assert.That(r.Confluence.ClusterNodes, Is.InRange(2, 4));
            }
        }
    }

    /// <summary>The report as a string, field for field, so two reports compare deeply.</summary>
    private static string Json(Report report) => JsonSerializer.Serialize(report);

    /// <summary>
    /// A receiver written from the contract alone: notices are accepted once; a report is dropped when an opt-out
    /// known so far covers its generation instant, a duplicate when its identity is stored, accepted otherwise; an
    /// opt-out erases what it covers.
    /// </summary>
    private static (List<List<string>> Outcomes, Dictionary<string, Report> Stored) Replay(IReadOnlyList<GeneratedMessage> messages)
    {
        var events = new Dictionary<ServerId, List<(DateTimeOffset At, bool OptOut)>>();
        var stored = new Dictionary<string, Report>();
        var notices = new HashSet<string>();
        var outcomes = new List<List<string>>();
        foreach (var m in messages)
        {
            var found = ReportFinder.Find(m.Content);
            var items = new List<string>();
            if (found.Count == 0)
            {
                items.Add("not-a-report");
            }

            foreach (var result in found)
            {
                if (result.Report is not { } r)
                {
                    items.Add(result.Rejection == Outcome.Unsupported ? "unsupported" : "invalid");
                    continue;
                }

                if (!events.TryGetValue(r.ServerId, out var known))
                {
                    known = [];
                    events[r.ServerId] = known;
                }

                if (r.Kind.IsNotice())
                {
                    if (!notices.Add(r.Identity.Key))
                    {
                        items.Add("duplicate");
                        continue;
                    }

                    known.Add((r.GeneratedAt, r.Kind == ReportKind.OptOut));
                    foreach (var key in stored.Where(s => s.Value.ServerId == r.ServerId && Suppressed(known, s.Value.GeneratedAt)).Select(s => s.Key).ToList())
                    {
                        stored.Remove(key);
                    }

                    items.Add("accepted");
                }
                else if (Suppressed(known, r.GeneratedAt))
                {
                    items.Add("dropped");
                }
                else
                {
                    items.Add(stored.TryAdd(r.Identity.Key, r) ? "accepted" : "duplicate");
                }
            }

            outcomes.Add(items);
        }

        return (outcomes, stored);
    }

    private static bool Suppressed(List<(DateTimeOffset At, bool OptOut)> events, DateTimeOffset at)
    {
        if (events.Any(e => e.OptOut && e.At >= at))
        {
            return true;
        }

        var before = events.Where(e => e.At <= at).ToList();
        return before.Count > 0 && before.MaxBy(e => e.At).OptOut;
    }
}
