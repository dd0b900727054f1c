using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Coup.Harness.Tests;

/// <summary>
/// Opens a page in Debian's headless Chromium and reports what a reader's browser would meet: script
/// and console errors, resources that failed to load, each image's decoded size, and whether the page
/// is wider than the window. A probe script is put at the top of a copy of the page, beside it (so
/// its relative links resolve the same), and writes its findings into the DOM that
/// <c>--dump-dom</c> prints. Also takes full-page screenshots.
/// </summary>
public static partial class HeadlessChromium
{
    public const string BrowserPath = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(240);
    private const int ScreenshotHeightMaxPx = 16_000;

    /// <summary>Null when Chromium is installed; otherwise why a browser test skips (outside CI only).</summary>
    public static string? SkipReason() =>
        Environment.GetEnvironmentVariable("CI") != "true" && !File.Exists(BrowserPath)
            ? $"no Chromium at {BrowserPath} (apt-get install chromium, or set CI=true to fail instead of skipping)"
            : null;

    /// <summary>What the probe found once the page had loaded.</summary>
    public sealed record PageFindings(
        IReadOnlyList<string> Errors, IReadOnlyList<ImageSize> Images,
        int ScrollWidthPx, int ViewportWidthPx, int HeightPx);

    public sealed record ImageSize(string Alt, int WidthPx, int HeightPx);

    private const string Probe = """
        <script>
        window.__coupErrors = [];
        addEventListener('error', e => {
          const t = e.target;
          __coupErrors.push(t && t !== window && (t.src || t.href)
            ? 'failed to load ' + (t.src || t.href).slice(0, 120) : 'script error: ' + e.message);
        }, true);
        addEventListener('unhandledrejection', e => __coupErrors.push('unhandled rejection: ' + e.reason));
        for (const level of ['error', 'warn']) {
          const original = console[level];
          console[level] = (...args) => {
            __coupErrors.push('console.' + level + ': ' + args.join(' '));
            original.apply(console, args);
          };
        }
        addEventListener('load', () => {
          const findings = {
            errors: __coupErrors,
            images: [...document.images].map(i => ({
              alt: i.alt, widthPx: i.naturalWidth, heightPx: i.naturalHeight,
            })),
            scrollWidthPx: document.documentElement.scrollWidth,
            viewportWidthPx: innerWidth,
            heightPx: document.documentElement.scrollHeight,
          };
          const out = document.createElement('pre');
          out.id = 'coup-probe';
          out.textContent = JSON.stringify(findings);
          document.body.appendChild(out);
        });
        </script>
        """;

    /// <summary>
    /// Loads <paramref name="pagePath"/> in a window <paramref name="widthPx"/> wide and returns what the probe found.
    /// </summary>
    public static PageFindings Open(string pagePath, int widthPx)
    {
        var page = File.ReadAllText(pagePath);
        var head = page.IndexOf("<head>", StringComparison.Ordinal);
        Assert.True(head >= 0, $"{pagePath} has no <head>");
        var pageDirectory = Path.GetDirectoryName(Path.GetFullPath(pagePath))!;
        var probePath = Path.Combine(pageDirectory, $".probe-{Guid.NewGuid():N}.html");
        File.WriteAllText(probePath, page.Insert(head + "<head>".Length, Probe));
        try
        {
            var dom = Run(["--dump-dom", $"--window-size={widthPx},1000", "--virtual-time-budget=10000",
                new Uri(probePath).AbsoluteUri]);
            var found = ProbeOutput().Match(dom);
            Assert.True(found.Success,
                $"the page never finished loading in Chromium: {dom[..Math.Min(dom.Length, 300)]}");
            var json = WebUtility.HtmlDecode(found.Groups[1].Value);
            return JsonSerializer.Deserialize<PageFindings>(
                json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        finally
        {
            File.Delete(probePath);
        }
    }

    /// <summary>Saves the whole page, <paramref name="heightPx"/> tall (from <see cref="Open"/>), as a PNG.</summary>
    public static void Screenshot(string pagePath, int widthPx, int heightPx, string pngPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        Run([$"--screenshot={Path.GetFullPath(pngPath)}",
            $"--window-size={widthPx},{Math.Min(heightPx, ScreenshotHeightMaxPx)}",
            "--hide-scrollbars", new Uri(Path.GetFullPath(pagePath)).AbsoluteUri]);
        Assert.True(File.Exists(pngPath), $"Chromium wrote no screenshot to {pngPath}");
    }

    /// <summary>
    /// Runs Chromium headless with a fresh profile, nothing fetched from any network; returns its stdout.
    /// </summary>
    private static string Run(IReadOnlyList<string> arguments)
    {
        var profile = Directory.CreateTempSubdirectory("coup-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(BrowserPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={profile}",
                .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
            using var browser = Process.Start(start)!;
            var output = browser.StandardOutput.ReadToEndAsync();
            var errors = browser.StandardError.ReadToEndAsync();
            if (!browser.WaitForExit(BrowserTimeout))
            {
                browser.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within {BrowserTimeout.TotalSeconds} s");
            }
            Assert.True(browser.ExitCode == 0, $"Chromium exited {browser.ExitCode}: {errors.Result}");
            return output.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex("<pre id=\"coup-probe\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeOutput();
}

/// <summary>A test that needs Chromium: skipped outside CI when it is missing, failed with CI=true.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute() => Skip = HeadlessChromium.SkipReason();
}
