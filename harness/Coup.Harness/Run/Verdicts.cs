using Coup.Checkers;
using Coup.History;
using Coup.Reports;

namespace Coup.Harness.Run;

/// <summary>
/// The stages after recording, shared by <c>coup run</c> and <c>coup check</c>: read the saved
/// history, check it, write results.json, the report and junit.xml. The printed verdict, those
/// files and the exit code all come from one <see cref="Results"/>, so they always agree.
/// </summary>
public static class Verdicts
{
    /// <summary>What a check writes into the run directory: results.json and the report beside it.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        RunStore.ResultsFile, Report.HtmlFile, Report.JUnitFile,
        Report.TimelineFile, Report.FailoverFile, Report.AvailabilityFile, Report.ClockFile,
    ];

    /// <summary>
    /// Checks the run's history in one streaming pass and writes its verdict files; a second pass folds what the
    /// report draws (<see cref="ReportSummary"/>), so neither holds the history. The earlier files are removed
    /// first, so a check that fails (a history the reader refuses) leaves none that look current.
    /// </summary>
    public static (ReportSummary Summary, Results Results) CheckAndReport(string runDirectory, TextWriter output)
    {
        var removed = Files.Where(f => File.Exists(Path.Combine(runDirectory, f))).ToList();
        removed.ForEach(f => File.Delete(Path.Combine(runDirectory, f)));
        var historyPath = Path.Combine(runDirectory, RunStore.HistoryFile);
        Results results;
        try
        {
            results = CheckerSuite.Check(historyPath);
        }
        catch (HistoryFormatException e) when (removed.Count > 0)
        {
            throw new HistoryFormatException($"{e.Message} (the earlier {string.Join(", ", removed)} were removed)");
        }
        ResultsFile.Write(Path.Combine(runDirectory, RunStore.ResultsFile), results);
        var summary = ReportSummary.Read(historyPath, results);
        Report.Write(runDirectory, summary, results);
        Print(summary.Changes, results, output);
        return (summary, results);
    }

    /// <summary>The verdict as printed; <paramref name="history"/> may be a summary's
    /// (<see cref="ReportSummary.Changes"/>): only its end is read.</summary>
    public static void Print(RunHistory history, Results results, TextWriter output)
    {
        foreach (var check in results.Checks)
        {
            var verdict = check.Verdict.ToString().ToLowerInvariant();
            output.WriteLine($"  {check.Checker,-16} {verdict,-8} {check.Summary}");
        }
        foreach (var anomaly in results.Anomalies.Where(a => a.Violation).Take(10))
        {
            var end = anomaly.EndNs is { } e ? $"-{e / 1e9:0.000}s" : "";
            var nodes = string.Join(",", anomaly.Nodes);
            var terms = string.Join(",", anomaly.Terms);
            output.WriteLine(
                $"  ! {anomaly.Kind}: {anomaly.Description} [{nodes} terms {terms}"
                    + $" at {anomaly.StartNs / 1e9:0.000}s{end}]");
        }
        if (history.End is null)
        {
            output.WriteLine("  history was cut short (no run-end line): unknown unless its lines prove a violation");
        }
        output.WriteLine($"verdict: {results.Verdict.ToString().ToLowerInvariant()}");
    }

    /// <summary>
    /// Jepsen's codes for the combined verdict. A cut-short history is unknown unless its recorded
    /// part proves a violation: the suite's merge (invalid over unknown) has already decided that.
    /// </summary>
    public static int ExitCode(Results results) => results.Verdict.ExitCode();
}
