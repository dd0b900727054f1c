using System.Globalization;
using System.Text.Json;
using Coup.Checkers;
using Coup.History;

namespace Coup.Reports;

/// <summary>
/// Writes a run's report into its directory: <c>report.html</c> (one self-contained file, plots
/// embedded), the plots as PNG (<c>timeline.png</c>, <c>failover.png</c>, <c>availability.png</c>,
/// and <c>clock.png</c> when nodes reported their wall clock) and <c>junit.xml</c>.
/// It shows what the results say; it decides nothing.
/// </summary>
public static class Report
{
    public const string HtmlFile = "report.html";
    public const string JUnitFile = "junit.xml";
    public const string TimelineFile = "timeline.png";
    public const string FailoverFile = "failover.png";
    public const string AvailabilityFile = "availability.png";
    public const string ClockFile = "clock.png";

    /// <summary>Writes the report of the history at <paramref name="historyPath"/>, read one event at a time
    /// (<see cref="ReportSummary"/>).</summary>
    public static void Write(string runDirectory, string historyPath, Results results) =>
        Write(runDirectory, ReportSummary.Read(historyPath, results), results);

    /// <summary>Writes the report of a history already in memory.</summary>
    public static void Write(string runDirectory, RunHistory history, Results results) =>
        Write(runDirectory, ReportSummary.Of(history, results), results);

    public static void Write(string runDirectory, ReportSummary summary, Results results)
    {
        Directory.CreateDirectory(runDirectory);
        var history = summary.Changes;
        var plots = new ReportPlots(
            Timeline: TimelinePlot.Render(history, results),
            Failover: FailoverPlot.Render(results),
            Availability: AvailabilityPlot.Render(summary),
            Clock: ClockPlot.Render(summary))
        {
            TimelinePanels = [.. TimeWindow.Panels(Intervals.PlotSpanS(history))
                .Select(w => new TimelinePanel(w, TimelinePlot.Render(history, results, w)))],
        };
        File.WriteAllBytes(Path.Combine(runDirectory, TimelineFile), plots.Timeline);
        File.WriteAllBytes(Path.Combine(runDirectory, FailoverFile), plots.Failover);
        File.WriteAllBytes(Path.Combine(runDirectory, AvailabilityFile), plots.Availability);
        var clockPath = Path.Combine(runDirectory, ClockFile);
        if (plots.Clock is not null)
        {
            File.WriteAllBytes(clockPath, plots.Clock);
        }
        else if (File.Exists(clockPath))
        {
            // Re-reporting a run must not leave a clock plot from an older rendering beside the new report.
            File.Delete(clockPath);
        }
        JUnitReport.Write(Path.Combine(runDirectory, JUnitFile), history, results);
        File.WriteAllText(Path.Combine(runDirectory, HtmlFile),
            ReportPage.Render(summary, results, plots, RunFiles(runDirectory)));
    }

    /// <summary>
    /// The run's files the page links to, relative to it: the history, results, JUnit, plan and
    /// the node logs under <c>nodes/</c>; not the page itself nor its plots, which it shows.
    /// </summary>
    public static IReadOnlyList<string> RunFiles(string runDirectory) =>
    [
        .. Directory.EnumerateFiles(runDirectory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(runDirectory, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(file => file != HtmlFile && !file.EndsWith(".png", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>
    /// The command line that runs the same plan again with the same seed: the one place it is built,
    /// for the report, JUnit and the harness (<c>RunPlan.Command</c>). Every option the run-start
    /// records is written, numbers the way the parser reads them; options an older history did not
    /// record are left to their defaults. <c>--store</c> is the reproducer's choice, not the run's.
    /// </summary>
    /// <summary>Names as written in a timeline (<c>n1+n3</c>, not <c>n1\u002Bn3</c>).</summary>
    private static readonly JsonSerializerOptions CompactNames =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Reproduce(RunStarted run)
    {
        var line = new List<string> { "./coup", "run" };
        void Add(string option, object? value)
        {
            if (value is not null)
            {
                line.Add(option);
                line.Add(string.Format(CultureInfo.InvariantCulture, "{0}", value));
            }
        }
        if (run.System is null)
        {
            Add("--algorithm", run.Algorithm);
        }
        else
        {
            Add("--system", run.System);
        }
        foreach (var setting in run.Settings ?? [])
        {
            Add("--set", setting);
        }
        Add("--observe-ms", run.ObservePeriodMs);
        Add("--nodes", run.Nodes.Count);
        if (run.Timeline is { } timeline)
        {
            // One shell word: compact JSON has no spaces, and a name no quote.
            Add("--timeline", $"'{timeline.ToJsonString(CompactNames).Replace("'", "'\\''")}'");
        }
        else
        {
            Add("--nemesis", run.Nemesis.Count == 0 ? "none" : string.Join(",", run.Nemesis));
        }
        Add("--time-limit", run.TimeLimitS);
        if (run.Timeline is null)
        {
            Add("--interval", run.IntervalS);
        }
        Add("--seed", run.Seed);
        Add("--runtime", run.Runtime);
        Add("--clients", run.Clients);
        Add("--rate", run.WriteRateHz);
        Add("--quiet", run.QuietS);
        return string.Join(' ', line);
    }
}

/// <summary>
/// The rendered plots, as PNG bytes; <see cref="Clock"/> is null when no node reported its wall clock.
/// </summary>
public sealed record ReportPlots(byte[] Timeline, byte[] Failover, byte[] Availability, byte[]? Clock)
{
    /// <summary>A long run's timeline a window at a time; empty when the whole timeline reads well.</summary>
    public IReadOnlyList<TimelinePanel> TimelinePanels { get; init; } = [];
}

/// <summary>One window of the timeline.</summary>
public sealed record TimelinePanel(TimeWindow Window, byte[] Png);
