using System.Text;

using Telemetry.Core.Reporting;
using Telemetry.Core.Stats;
using Telemetry.Testing;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Reporting;

/// <summary>
/// The HTML report in a real headless Chromium: every chart drawn with its labels, nothing loaded but the file,
/// nothing logged. Screenshots are kept in out/report-screenshots/ of the repository for people to look at.
/// </summary>
public sealed class HtmlReportBrowserTests : IDisposable
{
    private HeadlessBrowser? browser;
    private TempDirectory? temp;
    private string screenshots = string.Empty;

    [OneTimeSetUp]
    public async Task LaunchBrowser()
    {
        HeadlessBrowser.Require();
        screenshots = Path.Combine(RepositoryRoot(), "out", "report-screenshots");
        Directory.CreateDirectory(screenshots);
        temp = new TempDirectory();
        browser = await HeadlessBrowser.LaunchAsync();
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        if (browser is not null)
        {
            browser.DisposeAsync().AsTask().GetAwaiter().GetResult();
            browser = null;
        }

        temp?.Dispose();
        temp = null;
    }

    [Test]
    public async Task RichReport_DrawsEveryChartWithTitleMarksAndLabels_LoadsNothingElse_LogsNothing()
    {
        var page = await Open(ReportSamples.Rich(), "report-rich");

        AssertQuietAndSelfContained(page);
        Assert.That(page.Charts.Select(c => c.Name), Is.EquivalentTo(ReportSamples.ChartNames));
        foreach (var chart in page.Charts)
        {
            AssertDrawn(chart);
        }

        Assert.That(page.ScrollWidth, Is.LessThanOrEqualTo(page.ViewportWidth), "the page does not scroll sideways");
        var features = page.Charts.Single(c => c.Name == "features");
        Assert.That(features.Labels, Does.Contain("spreadsheets").And.Contain("0%").And.Contain("100%"));
        Assert.That(features.Labels, Has.Some.StartsWith("98.3%"), "value label of the most used feature (1,288 of 1,310)");
        var versions = page.Charts.Single(c => c.Name == "addon-versions");
        Assert.That(versions.Width, Is.GreaterThan(500), "a chart beside its table is still wide enough to read");
        Assert.That(versions.Labels, Does.Contain("4.10.2").And.Contain("unknown").And.Contain("301"));
        Assert.That(versions.Marks, Is.GreaterThanOrEqualTo(12 + 11), "a bar per version and a point per known version");
        var trend = page.Charts.Single(c => c.Name == "trend-active-instances");
        Assert.That(trend.Labels, Does.Contain("1,376"), "the latest value is labelled");
        Assert.That(trend.Labels, Does.Contain("Month").And.Contain("Active instances"), "both axes are titled");
    }

    [Test]
    public async Task RichReport_OnANarrowScreen_DrawsEveryChartReadably_WithoutMakingThePageScrollSideways()
    {
        var page = await Open(ReportSamples.Rich(), "report-rich-narrow", viewportWidth: 420);

        AssertQuietAndSelfContained(page);
        Assert.That(page.Charts.Select(c => c.Name), Is.EquivalentTo(ReportSamples.ChartNames));
        Assert.That(page.ScrollWidth, Is.LessThanOrEqualTo(page.ViewportWidth), "wide charts and tables scroll inside their own box");
        var shrunk = page.Charts.Where(c => c.Width < 500 || c.Height <= 0).Select(c => $"{c.Name} {c.Width}x{c.Height}");
        Assert.That(shrunk, Is.Empty, "charts keep a readable size");
    }


    [Test]
    public async Task ShareableReport_LabelsHiddenFiguresWithoutDrawingThem_AndShowsNoFlags()
    {
        var page = await Open(ReportSamples.Shareable(), "report-shareable");

        AssertQuietAndSelfContained(page);
        Assert.That(page.Charts.Select(c => c.Name), Is.EquivalentTo(ReportSamples.ChartNames));
        foreach (var chart in page.Charts)
        {
            AssertDrawn(chart);
        }

        var features = page.Charts.Single(c => c.Name == "features");
        Assert.That(features.Labels, Does.Contain(Figure.SmallText).And.Contain(Figure.HiddenText));
        var versions = page.Charts.Single(c => c.Name == "addon-versions");
        Assert.That(versions.Labels, Does.Contain(Figure.SmallText).And.Contain(Figure.HiddenText));
        var trend = page.Charts.Single(c => c.Name == "trend-active-instances");
        Assert.That(trend.Labels, Does.Contain(Figure.SmallText));
        var rich = await Open(ReportSamples.Rich(), "report-rich-for-comparison", keepScreenshot: false);
        Assert.That(versions.Marks, Is.LessThan(rich.Charts.Single(c => c.Name == "addon-versions").Marks), "hidden figures draw no mark");
        Assert.That(features.Marks, Is.EqualTo(rich.Charts.Single(c => c.Name == "features").Marks), "the two hidden features add no bar");
    }

    [Test]
    public async Task EmptyReport_ShowsNoChartAndLogsNothing()
    {
        var page = await Open(ReportSamples.Empty(), "report-empty");

        AssertQuietAndSelfContained(page);
        Assert.That(page.Charts, Is.Empty, "no data: notes instead of charts");
    }

    [Test]
    public async Task HostileNames_RunNoScriptAndOpenNoDialog()
    {
        var page = await Open(ReportSamples.Hostile(), "report-hostile");

        AssertQuietAndSelfContained(page);
        Assert.That(page.Dialogs, Is.Empty);
        var labels = page.Charts.SelectMany(c => c.Labels).ToList();
        Assert.That(labels, Does.Contain("<script>alert(1)</script>"), "shown as text, not run");
        foreach (var chart in page.Charts)
        {
            AssertDrawn(chart);
        }
    }

    [TestCase(false, "report-generated")]
    [TestCase(true, "report-generated-shareable")]
    public async Task GeneratedPopulation_TheReportCommandsPage_DrawsEveryChart(bool shareable, string name)
    {
        using var store = new TestStore();
        var corpus = new Telemetry.Core.Samples.CorpusGenerator(new Telemetry.Core.Samples.CorpusOptions { Instances = 120, Months = 26, Seed = 11, OptOutRate = 0.1 }).Generate();
        store.Ingest(corpus.Messages.Select(m => TestMail.Raw(m.Content, m.Name)));
        var html = temp!.File(name + ".html");
        var output = new StringWriter();
        var context = new Telemetry.Receiver.Cli.CliContext
        {
            Out = output,
            Error = output,
            OutIsTerminal = false,
            ErrorIsTerminal = false,
            Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)),
        };
        string[] args = ["report", "--out", html, "--db", store.DatabasePath, .. shareable ? new[] { "--shareable" } : []];

        Assert.That(Telemetry.Receiver.Cli.TelemetryApp.Run(args, context), Is.Zero, output.ToString());
        var screenshot = Path.Combine(screenshots, name + ".png");
        var page = await browser!.OpenAsync(html, screenshot, 1280);
        TestContext.Out.WriteLine($"screenshot: {screenshot}");

        AssertQuietAndSelfContained(page);
        Assert.That(page.Charts.Select(c => c.Name), Is.EquivalentTo(ReportSamples.ChartNames));
        foreach (var chart in page.Charts)
        {
            AssertDrawn(chart);
        }

        var summary = new StatisticsPublisher(store.Connection, shareable).Summary(new AsOf(new DateOnly(2026, 11, 15), AsOf.DefaultActiveWindow));
        var trend = page.Charts.Single(c => c.Name == "trend-active-instances");
        Assert.That(trend.Labels, Does.Contain(summary.ActiveInstances.Text), "the trend ends with today's active instances");
        var text = await File.ReadAllTextAsync(html);
        Assert.That(text.Contains("id=\"flags\"", StringComparison.Ordinal), Is.EqualTo(!shareable), "flags only in the internal report");
    }

    private static void AssertQuietAndSelfContained(PageSnapshot page)
    {
        Assert.Multiple(() =>
        {
            Assert.That(page.ConsoleMessages, Is.Empty, "console errors and warnings");
            Assert.That(page.PageErrors, Is.Empty, "page errors");
            Assert.That(page.FailedRequests, Is.Empty, "failed requests");
            Assert.That(page.Requests, Is.EqualTo(new[] { page.Url }), "the page loads nothing but itself");
            Assert.That(new FileInfo(page.ScreenshotPath).Length, Is.GreaterThan(10_000), "a screenshot with something on it");
        });
    }

    private static void AssertDrawn(ChartSnapshot chart)
    {
        Assert.Multiple(() =>
        {
            Assert.That(chart.Title, Is.Not.Empty, $"{chart.Name}: title");
            Assert.That(chart.Width, Is.GreaterThan(100), $"{chart.Name}: width");
            Assert.That(chart.Height, Is.GreaterThan(50), $"{chart.Name}: height");
            Assert.That(chart.Marks, Is.GreaterThanOrEqualTo(1), $"{chart.Name}: drawn marks");
            Assert.That(chart.Labels, Has.Count.GreaterThanOrEqualTo(4), $"{chart.Name}: axis, tick and value labels");
            Assert.That(chart.Labels, Has.Some.Match("[0-9]"), $"{chart.Name}: numeric labels");
            Assert.That(chart.TableCaption, Is.Not.Null.And.Not.Empty, $"{chart.Name}: a table with a caption in its section");
        });
    }

    private async Task<PageSnapshot> Open(ReportData data, string name, int viewportWidth = 1280, bool keepScreenshot = true)
    {
        var html = temp!.File(name + ".html");
        await File.WriteAllTextAsync(html, HtmlReport.Render(data), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var screenshot = keepScreenshot ? Path.Combine(screenshots, name + ".png") : temp.File(name + ".png");
        var page = await browser!.OpenAsync(html, screenshot, viewportWidth);
        if (keepScreenshot)
        {
            TestContext.Out.WriteLine($"screenshot: {screenshot}");
        }

        return page;
    }

    /// <summary>The folder holding telemetry.sln, above the test assembly's folder.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "telemetry.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No telemetry.sln above {TestContext.CurrentContext.TestDirectory}");
    }
}
