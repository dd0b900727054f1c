using Coup.Checkers;
using Coup.Checkers.History;
using Coup.Reports;

namespace Coup.Harness.Run;

/// <summary>
/// The stages after recording, shared by <c>coup run</c> and <c>coup check</c>: read the saved
/// history, check it, write results.json, the report and junit.xml.
/// </summary>
public static class Verdicts
{
    public static (History History, Results Results) CheckAndReport(string runDirectory, TextWriter output)
    {
        var history = History.Read(Path.Combine(runDirectory, RunStore.HistoryFile));
        var results = CheckerSuite.Run(history);
        ResultsFile.Write(Path.Combine(runDirectory, RunStore.ResultsFile), results);
        Report.Write(runDirectory, history, results);
        Print(history, results, output);
        return (history, results);
    }

    public static void Print(History history, Results results, TextWriter output)
    {
        foreach (var check in results.Checks)
        {
            output.WriteLine($"  {check.Checker,-16} {check.Verdict.ToString().ToLowerInvariant(),-8} {check.Summary}");
        }
        foreach (var anomaly in results.Anomalies.Where(a => a.Violation).Take(10))
        {
            var end = anomaly.EndNs is { } e ? $"-{e / 1e9:0.000}s" : "";
            output.WriteLine($"  ! {anomaly.Kind}: {anomaly.Description} [{string.Join(",", anomaly.Nodes)} terms {string.Join(",", anomaly.Terms)} at {anomaly.StartNs / 1e9:0.000}s{end}]");
        }
        if (history.End is null)
        {
            output.WriteLine("  history was cut short (no run-end line): the verdict can only be unknown");
        }
        output.WriteLine($"verdict: {results.Verdict.ToString().ToLowerInvariant()}");
    }

    /// <summary>A cut-short history is unknown whatever it shows; otherwise Jepsen's codes.</summary>
    public static int ExitCode(History history, Results results) =>
        history.End is null ? ExitCodes.Unknown : results.Verdict.ExitCode();
}
