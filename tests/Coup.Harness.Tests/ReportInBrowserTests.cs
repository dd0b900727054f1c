using Coup.Harness.Cli;

namespace Coup.Harness.Tests;

/// <summary>Two simulator runs' reports: a minute of raft under every fault kind, and ten minutes of kafka.</summary>
public sealed class SimulatedReports : IDisposable
{
    private readonly TempStore _store = new();

    public SimulatedReports()
    {
        Short = Run("raft", "partition,kill,pause,clock", timeLimitS: 60);
        Long = Run("kafka", "partition,kill", timeLimitS: 600);
    }

    /// <summary>The run directories, by name.</summary>
    public string Short { get; }
    public string Long { get; }

    public string Of(string name) => name == nameof(Short) ? Short : Long;

    private string Run(string algorithm, string nemesis, int timeLimitS)
    {
        var exit = CoupCli.InvokeAsync(["run", "--runtime", "sim", "--algorithm", algorithm, "--nemesis", nemesis,
            "--time-limit", $"{timeLimitS}", "--seed", "3", "--store", _store.Root], CancellationToken.None)
            .GetAwaiter().GetResult();
        Assert.InRange(exit, 0, 2);
        var runDirectory =
            Directory.ResolveLinkTarget(_store.Latest, returnFinalTarget: true)?.FullName ?? _store.Latest;
        return Path.GetFullPath(runDirectory);
    }

    public void Dispose() => _store.Dispose();
}

/// <summary>
/// Every run's report.html read in a real browser at a wide and a narrow window: it loads without
/// errors, every plot decodes to a real image, and nothing is wider than the window. Screenshots of
/// each are kept in the test output (screenshots/) for a person to judge legibility.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ReportInBrowserTests(SimulatedReports reports) : IClassFixture<SimulatedReports>
{
    [BrowserTheory]
    [InlineData(nameof(SimulatedReports.Short), 1400)]
    [InlineData(nameof(SimulatedReports.Short), 800)]
    [InlineData(nameof(SimulatedReports.Long), 1400)]
    [InlineData(nameof(SimulatedReports.Long), 800)]
    public void GivenASimulatedRunsReport_WhenOpenedInChromium_ThenItLoadsCleanlyAndEveryImageDecodes(
        string run, int widthPx)
    {
        var page = Path.Combine(reports.Of(run), "report.html");

        var findings = HeadlessChromium.Open(page, widthPx);
        HeadlessChromium.Screenshot(page, widthPx, findings.HeightPx,
            Path.Combine(AppContext.BaseDirectory, "screenshots", $"report-{run.ToLowerInvariant()}-{widthPx}.png"));

        Assert.Empty(findings.Errors);
        Assert.NotEmpty(findings.Images);
        Assert.All(findings.Images, i =>
            Assert.True(i.WidthPx > 0 && i.HeightPx > 0, $"image '{i.Alt}' decoded to {i.WidthPx}x{i.HeightPx}"));
        Assert.Equal(widthPx, findings.ViewportWidthPx);
        Assert.True(findings.ScrollWidthPx <= findings.ViewportWidthPx,
            $"the page is {findings.ScrollWidthPx} px wide in a {findings.ViewportWidthPx} px window");
    }
}
