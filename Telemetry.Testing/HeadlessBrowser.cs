using System.Text.Json;
using PuppeteerSharp;

namespace Telemetry.Testing;

/// <summary>One <c>svg[data-chart]</c> of a page as Chromium drew it.</summary>
/// <param name="Name">Its <c>data-chart</c> attribute.</param>
/// <param name="Title">The text of its own <c>&lt;title&gt;</c> element, trimmed ("" when it has none).</param>
/// <param name="Width">Width of its bounding box in CSS pixels.</param>
/// <param name="Height">Height of its bounding box in CSS pixels.</param>
/// <param name="Marks">Drawn marks: rect, path, polyline and circle elements.</param>
/// <param name="Labels">The non-empty texts of its <c>text</c> elements (axis, tick and value labels), without their tooltips.</param>
/// <param name="TableCaption">The caption of the first table in the chart's closest section, or null when there is none.</param>
public sealed record ChartSnapshot(string Name, string Title, double Width, double Height, int Marks, IReadOnlyList<string> Labels, string? TableCaption);

/// <summary>What happened when a page was opened, and what it showed.</summary>
/// <param name="ConsoleMessages">Console messages of type error or warning ("error: TEXT").</param>
/// <param name="PageErrors">Uncaught exceptions of the page's scripts.</param>
/// <param name="FailedRequests">Requests that failed ("URL: REASON").</param>
/// <param name="Requests">The URL of every request the page made, the page's own included.</param>
/// <param name="Dialogs">Alerts, confirms and prompts the page opened (each was dismissed).</param>
/// <param name="Charts">Every <c>svg[data-chart]</c>, in document order.</param>
/// <param name="ViewportWidth">The width of the window, in CSS pixels.</param>
/// <param name="ScrollWidth">The width of the whole page: more than <paramref name="ViewportWidth"/> when it scrolls sideways.</param>
/// <param name="ScreenshotPath">The full-page PNG screenshot.</param>
public sealed record PageSnapshot(
    string Url,
    IReadOnlyList<string> ConsoleMessages,
    IReadOnlyList<string> PageErrors,
    IReadOnlyList<string> FailedRequests,
    IReadOnlyList<string> Requests,
    IReadOnlyList<string> Dialogs,
    IReadOnlyList<ChartSnapshot> Charts,
    int ViewportWidth,
    int ScrollWidth,
    string ScreenshotPath);

/// <summary>
/// Debian's Chromium (<see cref="ExecutablePath"/>) driven headless by PuppeteerSharp, with a fresh profile in a temp
/// folder that is removed on dispose. It never downloads a browser: a missing Chromium fails the calling test (never
/// ignores it) through <see cref="Require"/>. Launching takes about a second, so one browser per fixture class
/// (<c>[OneTimeSetUp]</c>) is the intended use; each <see cref="OpenAsync"/> uses a new page.
/// </summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NavigationTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private const string ChartsScript = """
        () => JSON.stringify(Array.from(document.querySelectorAll('svg[data-chart]')).map(svg => {
          const box = svg.getBoundingClientRect();
          const title = Array.from(svg.children).find(e => e.localName === 'title');
          const labels = Array.from(svg.querySelectorAll('text'))
            .map(t => Array.from(t.childNodes).filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('').trim())
            .filter(t => t.length > 0);
          const section = svg.closest('section');
          const caption = section ? section.querySelector('table > caption') : null;
          return {
            name: svg.getAttribute('data-chart') || '',
            title: title ? title.textContent.trim() : '',
            width: box.width,
            height: box.height,
            marks: svg.querySelectorAll('rect, path, polyline, circle').length,
            labels: labels,
            tableCaption: caption ? caption.textContent.trim() : null,
          };
        }))
        """;

    private readonly IBrowser browser;
    private readonly string profile;

    private HeadlessBrowser(IBrowser browser, string profile)
    {
        this.browser = browser;
        this.profile = profile;
    }

    /// <summary>Fails the calling test (never ignores it) when Debian's Chromium is not installed.</summary>
    public static void Require()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new ServerMissingException(
                $"The browser tests need Debian's Chromium at {ExecutablePath}, but it is not installed (no browser is ever downloaded). "
                + "./test.sh installs it when missing; by hand: apt-get install -y --no-install-recommends chromium");
        }
    }

    /// <summary>Starts Chromium headless with a fresh profile, no GPU, no background networking and no first-run steps.</summary>
    public static async Task<HeadlessBrowser> LaunchAsync()
    {
        Require();
        var profile = Path.Combine(Path.GetTempPath(), "telemetry-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profile);
        try
        {
            var options = new LaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                UserDataDir = profile,
                Timeout = (int)LaunchTimeout.TotalMilliseconds,
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                ],
            };
            var browser = await Puppeteer.LaunchAsync(options).ConfigureAwait(false);
            return new HeadlessBrowser(browser, profile);
        }
        catch
        {
            DeleteProfile(profile);
            throw;
        }
    }

    /// <summary>
    /// Opens a local HTML file in a new page <paramref name="viewportWidth"/> pixels wide, waits until it has loaded and
    /// the network is idle, reads its charts and saves a full-page PNG screenshot to <paramref name="screenshotPath"/>
    /// (its folder is created).
    /// </summary>
    public async Task<PageSnapshot> OpenAsync(string htmlPath, string screenshotPath, int viewportWidth = 1280)
    {
        var url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        var console = new List<string>();
        var pageErrors = new List<string>();
        var failed = new List<string>();
        var requests = new List<string>();
        var dialogs = new List<string>();
        await using var page = await browser.NewPageAsync().ConfigureAwait(false);
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning)
            {
                Add(console, $"{e.Message.Type.ToString().ToLowerInvariant()}: {e.Message.Text}");
            }
        };
        page.PageError += (_, e) => Add(pageErrors, e.Message);
        page.Request += (_, e) => Add(requests, e.Request.Url);
        page.RequestFailed += (_, e) => Add(failed, $"{e.Request.Url}: {e.Request.FailureText}");
        page.Dialog += async (_, e) =>
        {
            Add(dialogs, $"{e.Dialog.DialogType}: {e.Dialog.Message}");
            await e.Dialog.Dismiss().ConfigureAwait(false);
        };

        await page.SetViewportAsync(new ViewPortOptions { Width = viewportWidth, Height = 900 }).ConfigureAwait(false);
        var navigation = new NavigationOptions
        {
            WaitUntil = [WaitUntilNavigation.Load, WaitUntilNavigation.Networkidle0],
            Timeout = (int)NavigationTimeout.TotalMilliseconds,
        };
        await page.GoToAsync(url, navigation).ConfigureAwait(false);
        var json = await page.EvaluateFunctionAsync<string>(ChartsScript).ConfigureAwait(false);
        var charts = JsonSerializer.Deserialize<List<ChartSnapshot>>(json, JsonOptions) ?? [];
        var scrollWidth = await page.EvaluateExpressionAsync<int>("document.documentElement.scrollWidth").ConfigureAwait(false);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(screenshotPath))!);
        await page.ScreenshotAsync(screenshotPath, new ScreenshotOptions { FullPage = true, Type = ScreenshotType.Png }).ConfigureAwait(false);

        return new PageSnapshot(url, Copy(console), Copy(pageErrors), Copy(failed), Copy(requests), Copy(dialogs), charts, viewportWidth, scrollWidth, screenshotPath);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync().ConfigureAwait(false);
        await browser.DisposeAsync().ConfigureAwait(false);
        DeleteProfile(profile);
    }

    private static void Add(List<string> list, string value)
    {
        lock (list)
        {
            list.Add(value);
        }
    }

    private static List<string> Copy(List<string> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    private static void DeleteProfile(string profile)
    {
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
