using Coup.Checkers;
using Coup.Harness.Run;
using Coup.Harness.Swarm;
using Coup.History;

namespace Coup.Harness.Shrink;

/// <summary>
/// A saved run as <c>coup shrink</c> and <c>coup replay</c> start from it: its run-start and what it showed.
/// </summary>
public sealed record RecordedRun(string Directory, RunStarted Run, Results Results)
{
    /// <summary>
    /// The anomalies as a swarm groups them (<see cref="SeedResult.AnomaliesOf"/>), e.g.
    /// <c>election-safety: same-term-leaders</c>.
    /// </summary>
    public IReadOnlyList<string> Anomalies => SeedResult.AnomaliesOf(Results);

    /// <summary>Reads the history and its results.json, or checks the history when it has none.</summary>
    public static RecordedRun Read(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw CoupException.Usage($"{directory} is not a directory; pass a run directory such as store/latest");
        }
        var historyPath = Cli.Inputs.ReadableFile(Path.Combine(directory, RunStore.HistoryFile), "history of a run");
        var resultsPath = Path.Combine(directory, RunStore.ResultsFile);
        var results = File.Exists(resultsPath) ? ResultsFile.Read(resultsPath) : CheckerSuite.Check(historyPath);
        using var reader = HistoryReader.Open(historyPath);
        return reader.TryRead(out var first) && first is RunStarted run
            ? new RecordedRun(directory, run, results)
            : throw CoupException.Usage($"{historyPath} holds no run; pass a run directory such as store/latest");
    }
}
