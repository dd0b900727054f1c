using System.Globalization;
using Coup.Checkers;
using Coup.Checkers.History;

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

    public static void Write(string runDirectory, History history, Results results)
    {
        Directory.CreateDirectory(runDirectory);
        var plots = new ReportPlots(
            Timeline: TimelinePlot.Render(history, results),
            Failover: FailoverPlot.Render(results),
            Availability: AvailabilityPlot.Render(history),
            Clock: ClockPlot.Render(history));
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
        File.WriteAllText(Path.Combine(runDirectory, HtmlFile), ReportPage.Render(history, results, plots));
        JUnitReport.Write(Path.Combine(runDirectory, JUnitFile), history, results);
    }

    /// <summary>The command line that runs the same plan again with the same seed.</summary>
    public static string Reproduce(RunStarted run) =>
        $"./coup run {(run.System is null ? $"--algorithm {run.Algorithm}" : $"--system {run.System}{string.Concat((run.Settings ?? []).Select(v => $" --set {v}"))}")} --nodes {run.Nodes.Count} --nemesis {(run.Nemesis.Count == 0 ? "none" : string.Join(",", run.Nemesis))} " +
        $"--time-limit {run.TimeLimitS.ToString(CultureInfo.InvariantCulture)} --interval {run.IntervalS.ToString(CultureInfo.InvariantCulture)} " +
        $"--seed {run.Seed.ToString(CultureInfo.InvariantCulture)} --runtime {run.Runtime}";
}

/// <summary>The rendered plots, as PNG bytes; <see cref="Clock"/> is null when no node reported its wall clock.</summary>
public sealed record ReportPlots(byte[] Timeline, byte[] Failover, byte[] Availability, byte[]? Clock);
