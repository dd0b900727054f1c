using Coup.Checkers;
using Coup.Harness.Run;
using Coup.History;

namespace Coup.Harness.Sim;

/// <summary>
/// Records a plan in the simulator and checks it, without a report: what a search over many runs
/// (<c>coup swarm</c>, <c>coup shrink</c>) does for each. The clock starts at the Unix epoch, so a
/// plan's history is the same bytes in any process.
/// </summary>
public static class SimulatedCheck
{
    /// <summary>The results and the history's bytes; null when cancelled before the run's end.</summary>
    public static (Results Results, byte[] History)? Run(
        RunPlan plan, string historyPath, CancellationToken cancellation)
    {
        using (var writer = new HistoryWriter(historyPath))
        {
            SimulatedRuntime.Record(plan, writer, DateTimeOffset.UnixEpoch, cancellation);
        }
        if (cancellation.IsCancellationRequested)
        {
            return null;
        }
        var bytes = File.ReadAllBytes(historyPath);
        using var reader = new HistoryReader(new MemoryStream(bytes, writable: false), historyPath);
        return (CheckerSuite.Run(reader), bytes);
    }
}
