using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;

using Telemetry.Core.Reporting;
using Telemetry.Core.Stats;

namespace Telemetry.Tests.Reporting;

/// <summary>The HTML report's markup: self-contained, safe with hostile names, a table for every chart.</summary>
public sealed partial class HtmlReportTests
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    private static readonly string[] MarkNames = ["rect", "path", "polyline", "circle"];

    [Test]
    public void Render_Rich_IsAWellFormedDocumentWithTheStrictPolicyAndNoScript()
    {
        var html = HtmlReport.Render(ReportSamples.Rich());

        Assert.That(html, Does.StartWith("<!DOCTYPE html>\n<html lang=\"en\">"));
        var document = Parse(html);
        var policy = document.Descendants("meta").Single(m => (string?)m.Attribute("http-equiv") == "Content-Security-Policy");
        Assert.That((string?)policy.Attribute("content"), Is.EqualTo("default-src 'none'; style-src 'unsafe-inline'; img-src data:"));
        Assert.That(document.Descendants("meta").First().Attribute("charset")?.Value, Is.EqualTo("utf-8"), "the charset comes first");
        AssertNoScriptNorExternalResource(html, document);
    }

    [Test]
    public void Render_Rich_TitleAndHeaderGiveTheAsOfDateAndTheActiveWindow()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        Assert.That(document.Descendants("title").First().Value, Does.Contain("2026-11-15"));
        var header = document.Descendants("header").Single().Value;
        Assert.That(header, Does.Contain("2026-11-15").And.Contain("45 days"));
        Assert.That(header, Does.Contain("Internal version"));
    }

    [Test]
    public void Render_Rich_HeadlineFiguresAreShownWithThousandsSeparators()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        var cards = document.Descendants("div").Where(d => Class(d) == "card")
            .ToDictionary(c => c.Element("dt")!.Value, c => c.Elements("dd").First().Value);
        Assert.That(cards, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["Active instances"] = "1,376",
            ["Confluence users"] = "566,912",
            ["Play SQL active users"] = "50,912",
            ["Silent instances"] = "214",
            ["Opted out"] = "37",
        }));
    }

    [Test]
    public void Render_Rich_EveryChartIsAnAccessibleSvgWithMarksLabelsAndATableWithACaptionInItsSection()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        var charts = Charts(document);
        Assert.That(charts.Select(c => (string?)c.Attribute("data-chart")), Is.EqualTo(ReportSamples.ChartNames));
        foreach (var chart in charts)
        {
            var name = (string?)chart.Attribute("data-chart");
            var section = chart.Ancestors("section").First();
            var children = chart.Elements().Select(e => e.Name.LocalName).Take(2).ToList();
            Assert.Multiple(() =>
            {
                Assert.That((string?)chart.Attribute("role"), Is.EqualTo("img"), name);
                Assert.That(children, Is.EqualTo(new[] { "title", "desc" }), $"{name}: title and desc first");
                Assert.That(chart.Elements().First().Value, Is.Not.Empty, $"{name}: title");
                Assert.That(chart.Elements().ElementAt(1).Value, Is.Not.Empty, $"{name}: desc");
                Assert.That(chart.Descendants().Count(e => MarkNames.Contains(e.Name.LocalName)), Is.GreaterThan(1), $"{name}: marks");
                Assert.That(Labels(chart), Has.Count.GreaterThan(5), $"{name}: axis, tick and value labels");
                Assert.That(Labels(chart), Has.Some.Match("^[0-9][0-9,.]*%?$"), $"{name}: numeric labels");
                Assert.That(section.Descendants("table").SelectMany(t => t.Elements("caption")).Select(c => c.Value), Has.Some.Not.Empty, $"{name}: its table");
            });
        }
    }

    [Test]
    public void Render_Rich_EverySvgBlockParsesOnItsOwn()
    {
        var html = HtmlReport.Render(ReportSamples.Rich());

        var blocks = SvgBlock().Matches(html).Select(m => m.Value).ToList();
        Assert.That(blocks, Has.Count.EqualTo(ReportSamples.ChartNames.Length));
        foreach (var block in blocks)
        {
            var svg = XElement.Parse(block);
            Assert.That(svg.Name, Is.EqualTo(XName.Get("svg", SvgNamespace)));
            Assert.That((string?)svg.Attribute("viewBox"), Does.Match("^0 0 [0-9.]+ [0-9.]+$"));
        }
    }

    [Test]
    public void Render_Rich_TablesHoldTheSameNumbersWithSeparatorsAndOneDecimal()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        var features = Rows(Section(document, "features"));
        Assert.That(features[0], Is.EqualTo(new[] { "spreadsheets", "1,288", "98.3%" }));
        Assert.That(features, Has.Count.EqualTo(8));
        var addons = Rows(Section(document, "addon-versions"));
        Assert.That(addons[0], Is.EqualTo(new[] { "3.0.4", "12", "0.9%", "1,330", "99.0%" }));
        Assert.That(addons[^1], Is.EqualTo(new[] { "unknown", "14", "1.0%", "–", "–" }), "unknown counts in no \"at least\"");
        var trend = Rows(Section(document, "trend"));
        Assert.That(trend, Has.Count.EqualTo(24));
        Assert.That(trend[^1], Is.EqualTo(new[] { "2026-11", "1,376", "566,912", "50,912", "38", "17", "4" }));
        Assert.That(Rows(Section(document, "licenses"))[0], Is.EqualTo(new[] { "commercial", "1,011", "73.5%", "512,340" }));
        Assert.That(Rows(Section(document, "editions"))[3], Is.EqualTo(new[] { "datacenter", "2", "118", "8.6%" }));
        Assert.That(Rows(Section(document, "connections"))[0], Is.EqualTo(new[] { "postgresql", "702", "51.0%", "2,140" }));
    }

    [Test]
    public void Render_Rich_FeatureBarsAreLabelledWithTheirPercentOnA0To100Axis()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        var chart = Chart(document, "features");
        Assert.That(Marks(chart, "rect"), Has.Count.EqualTo(8));
        Assert.That(Labels(chart), Does.Contain("0%").And.Contain("50%").And.Contain("100%").And.Contain("98.3% (1,288)").And.Contain("spreadsheets"));
    }

    [Test]
    public void Render_Rich_VersionChartDrawsABarPerVersionAndACumulativePointPerKnownVersion()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        var chart = Chart(document, "addon-versions");
        var bars = Marks(chart, "rect").Where(r => r.Element(XName.Get("title", SvgNamespace)) is not null).ToList();
        var points = Marks(chart, "circle").Where(c => c.Element(XName.Get("title", SvgNamespace)) is not null).ToList();
        Assert.That(bars, Has.Count.EqualTo(12));
        Assert.That(points, Has.Count.EqualTo(11), "no point for \"unknown\"");
        Assert.That(Marks(chart, "polyline"), Has.Count.EqualTo(1));
        Assert.That(Labels(chart), Does.Contain("100%").And.Contain("0%").And.Contain("Play SQL version").And.Contain("Active instances"));
    }

    [Test]
    public void Render_Rich_ListsTheOpenFlagsMostSevereFirst()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Rich()));

        var rows = Rows(Section(document, "flags"));
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "cloned-server-id", "connection-failures", "license-expiring" }));
        Assert.That(rows[0], Is.EqualTo(new[] { "cloned-server-id", "Critical", "9c01-55ab-e2f0-3d48", "user counts 120, 4800 in the same month", "2026-10-05 07:30 UTC" }));
    }

    [Test]
    public void Render_Shareable_SaysSoExplainsTheSymbolsAndShowsThemInTables()
    {
        var html = HtmlReport.Render(ReportSamples.Shareable());
        var document = Parse(html);

        var banner = document.Descendants("div").Single(d => Class(d) == "banner shareable").Value;
        Assert.That(banner, Does.Contain("Shareable version").And.Contain("<5").And.Contain("fewer than 5").And.Contain("x"));
        Assert.That(document.Descendants("title").First().Value, Does.Contain("shareable"));
        var features = Rows(Section(document, "features"));
        Assert.That(features[^2], Is.EqualTo(new[] { "macro-export", "<5", "<5" }));
        Assert.That(features[^1], Is.EqualTo(new[] { "odbc-bridge", "x", "x" }));
        var addons = Rows(Section(document, "addon-versions"));
        Assert.That(addons[2], Is.EqualTo(new[] { "3.5.0", "x", "x", "x", "x" }));
        Assert.That(Rows(Section(document, "trend"))[3][1], Is.EqualTo("<5"));
        Assert.That(document.Descendants("dd").Select(d => d.Value), Does.Contain("x"), "opted out is hidden");
        AssertNoScriptNorExternalResource(html, document);
    }

    [Test]
    public void Render_Shareable_HiddenFiguresGetALabelButNoMark()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Shareable()));

        var features = Chart(document, "features");
        Assert.That(Marks(features, "rect"), Has.Count.EqualTo(8), "no bar for the two hidden features");
        Assert.That(Labels(features), Does.Contain("<5").And.Contain("x"));
        var trend = Chart(document, "trend-active-instances");
        Assert.That(Marks(trend, "circle"), Has.Count.EqualTo(23), "no point for the hidden month");
        Assert.That(Marks(trend, "polyline"), Has.Count.EqualTo(2), "the line is broken at the hidden month");
        Assert.That(Labels(trend), Does.Contain("<5"));
        var versions = Chart(document, "addon-versions");
        Assert.That(Marks(versions, "rect").Count(r => r.Element(XName.Get("title", SvgNamespace)) is not null), Is.EqualTo(10));
        Assert.That(Labels(versions), Does.Contain("<5").And.Contain("x"));
    }

    [Test]
    public void Render_Shareable_NeverShowsFlags_EvenWhenTheDataHasSome()
    {
        var rich = ReportSamples.Rich();
        var html = HtmlReport.Render(rich with { Shareable = true });

        Assert.That(Parse(html).Descendants("section").Select(s => (string?)s.Attribute("id")), Does.Not.Contain("flags"));
        foreach (var flag in rich.OpenFlags!)
        {
            Assert.That(html, Does.Not.Contain(flag.ServerId).And.Not.Contain(flag.Rule));
        }

        Assert.That(html, Does.Not.Contain("health flags</a>"), "nor in the contents");
    }

    [Test]
    public void Render_Empty_IsAValidPageWithNoDataNotesInsteadOfCharts()
    {
        var html = HtmlReport.Render(ReportSamples.Empty());
        var document = Parse(html);

        Assert.That(Charts(document), Is.Empty);
        var notes = document.Descendants("p").Where(p => Class(p) == "no-data").Select(p => p.Value).ToList();
        Assert.That(notes, Has.Count.EqualTo(3 + 6 + 1), "three trend charts, six sections, the flags");
        Assert.That(notes, Has.All.StartWith("No "));
        Assert.That(Rows(Section(document, "trend")), Has.Count.EqualTo(24), "the months are still listed");
        foreach (var id in new[] { "features", "addon-versions", "confluence-versions", "licenses", "editions", "connections", "flags" })
        {
            Assert.That(Section(document, id).Descendants("table"), Is.Empty, id);
        }

        AssertNoScriptNorExternalResource(html, document);
    }

    [Test]
    public void Render_NoMonthAtAll_SaysSoInsteadOfATrend()
    {
        var document = Parse(HtmlReport.Render(ReportSamples.Empty() with { Trend = [], OpenFlags = null }));

        var trend = Section(document, "trend");
        Assert.That(trend.Descendants("table"), Is.Empty);
        Assert.That(trend.Descendants("p").Where(p => Class(p) == "no-data").Select(p => p.Value), Is.EqualTo(new[] { "No data: there is no month to show." }));
        Assert.That(document.Descendants("section").Select(s => (string?)s.Attribute("id")), Does.Not.Contain("flags"));
    }

    [Test]
    public void Render_HostileNames_AppearOnlyEncoded_AndStayText()
    {
        var html = HtmlReport.Render(ReportSamples.Hostile());

        foreach (var hostile in ReportSamples.HostileStrings)
        {
            Assert.That(html, Does.Not.Contain(hostile), "raw");
            Assert.That(html, Does.Contain(WebUtility.HtmlEncode(hostile)), "encoded");
        }

        Assert.That(html, Does.Not.Contain("]]>"));
        var document = Parse(html);
        var texts = document.Descendants().Where(e => !e.HasElements).Select(e => e.Value).ToList();
        Assert.That(texts, Is.SupersetOf(ReportSamples.HostileStrings), "each one is shown as text");
        AssertNoScriptNorExternalResource(html, document);
        Assert.That(document.Descendants().Where(e => e.Name.LocalName is "img" or "b" or "iframe" or "object"), Is.Empty);
    }

    [Test]
    public void Render_HostileNames_InsideSvgLabelsAndTooltips_AreEncoded()
    {
        var html = HtmlReport.Render(ReportSamples.Hostile());

        var blocks = SvgBlock().Matches(html).Select(m => m.Value).ToList();
        Assert.That(blocks, Has.Count.EqualTo(ReportSamples.ChartNames.Length));
        foreach (var block in blocks)
        {
            Assert.That(block, Does.Not.Contain("<script").And.Not.Contain("<img").And.Not.Contain("</svg><"));
            var svg = XElement.Parse(block);
            Assert.That(svg.DescendantsAndSelf().Attributes().Select(a => a.Name.LocalName), Has.None.StartsWith("on"));
        }

        var features = XElement.Parse(blocks.Single(b => b.Contains("data-chart=\"features\"", StringComparison.Ordinal)));
        Assert.That(Labels(features), Does.Contain("<script>alert(1)</script>"));
        var tooltips = features.Descendants(XName.Get("title", SvgNamespace)).Select(t => t.Value);
        Assert.That(tooltips, Has.Some.StartsWith("\"><img src=x onerror=alert(1)>: "));
    }

    [Test]
    public void Render_ControlCharactersAndBrokenSurrogates_AreReplaced_SoThePageStaysWellFormed()
    {
        var rich = ReportSamples.Rich();
        var nasty = "a\u0000b\u0001c\u001bd\r\ne\uD800f\uDC00g\uFFFFh😀";
        var data = rich with { Features = [new PublishedFeature(nasty, 10, 0.5)], OpenFlags = [rich.OpenFlags![0] with { Figures = nasty }] };

        var html = HtmlReport.Render(data);

        var document = Parse(html);
        var feature = Rows(Section(document, "features"))[0][0];
        Assert.That(feature, Is.EqualTo("a b c d  e\uFFFDf\uFFFDg\uFFFDh😀"));
        Assert.That(html, Does.Not.Contain("\u0000").And.Not.Contain("\u001b"));
    }

    [Test]
    public void Render_VeryLongName_IsShortenedInChartsAndTables()
    {
        var rich = ReportSamples.Rich();
        var data = rich with { Licenses = [new LicenseRow(new string('L', 100_000), 5, 1, 10)] };

        var html = HtmlReport.Render(data);

        var document = Parse(html);
        var cell = Rows(Section(document, "licenses"))[0][0];
        Assert.That(cell, Has.Length.EqualTo(300).And.EndsWith("…"));
        Assert.That(Labels(Chart(document, "licenses")).Max(l => l.Length), Is.LessThanOrEqualTo(30));
        Assert.That(html, Has.Length.LessThan(HtmlReport.Render(rich).Length + 10_000));
    }

    [Test]
    public void Write_WritesWhatRenderReturns()
    {
        var data = ReportSamples.Shareable();
        using var writer = new StringWriter();

        HtmlReport.Write(data, writer);

        Assert.That(writer.ToString(), Is.EqualTo(HtmlReport.Render(data)));
    }

    [TestCase(0, new double[] { 0, 1 })]
    [TestCase(3, new double[] { 0, 1, 2, 3 })]
    [TestCase(7, new double[] { 0, 2, 4, 6, 8 })]
    [TestCase(1376, new double[] { 0, 500, 1000, 1500 })]
    [TestCase(1000, new double[] { 0, 200, 400, 600, 800, 1000 })]
    [TestCase(566_912, new double[] { 0, 200_000, 400_000, 600_000 })]
    public void Ticks_AreRoundWholeNumbersFromZeroReachingTheMaximum(double max, double[] expected)
    {
        Assert.That(HtmlReport.Ticks(max), Is.EqualTo(expected));
    }

    private static void AssertNoScriptNorExternalResource(string html, XDocument document)
    {
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<script").IgnoreCase);
            Assert.That(html, Does.Not.Contain("javascript:").IgnoreCase);
            Assert.That(html, Does.Not.Contain("@import").IgnoreCase);
            Assert.That(html, Does.Not.Contain("url(").IgnoreCase);
            Assert.That(html, Does.Not.Match("(?i)(src|href|action|srcset|poster|data)\\s*=\\s*[\"']?\\s*(https?:|//|ftp:|file:)"));
            var attributes = document.Descendants().Attributes().ToList();
            Assert.That(attributes.Select(a => a.Name.LocalName), Has.None.StartsWith("on"), "no event handler attribute");
            Assert.That(attributes.Where(a => a.Name.LocalName is "src" or "srcset" or "action" or "formaction"), Is.Empty);
            Assert.That(attributes.Where(a => a.Name.LocalName == "href").Select(a => a.Value), Has.All.StartsWith("#"), "links stay in the page");
            Assert.That(attributes.Where(a => a.IsNamespaceDeclaration).Select(a => a.Value), Has.All.EqualTo(SvgNamespace));
            Assert.That(document.Descendants().Select(e => e.Name.LocalName), Has.None.AnyOf("script", "link", "iframe", "object", "embed", "img", "image", "use", "foreignObject", "base", "form"));
        });
    }

    /// <summary>The page as XML: it is written to be well-formed.</summary>
    private static XDocument Parse(string html) => XDocument.Parse(html);

    private static List<XElement> Charts(XDocument document) =>
        document.Descendants(XName.Get("svg", SvgNamespace)).Where(s => s.Attribute("data-chart") is not null).ToList();

    private static XElement Chart(XDocument document, string name) => Charts(document).Single(c => (string?)c.Attribute("data-chart") == name);

    private static XElement Section(XDocument document, string id) => document.Descendants("section").Single(s => (string?)s.Attribute("id") == id);

    private static List<XElement> Marks(XElement chart, string name) => chart.Descendants(XName.Get(name, SvgNamespace)).ToList();

    /// <summary>The texts of a chart's text elements, without their tooltips.</summary>
    private static List<string> Labels(XElement chart) =>
        chart.Descendants(XName.Get("text", SvgNamespace)).Select(t => string.Concat(t.Nodes().OfType<XText>().Select(x => x.Value)).Trim()).Where(t => t.Length > 0).ToList();

    /// <summary>The cells of the body rows of the first table in a section.</summary>
    private static List<string[]> Rows(XElement section) =>
        section.Descendants("table").First().Element("tbody")!.Elements("tr").Select(tr => tr.Elements().Select(c => c.Value).ToArray()).ToList();

    private static string? Class(XElement element) => (string?)element.Attribute("class");

    [GeneratedRegex("<svg[\\s>].*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgBlock();
}
