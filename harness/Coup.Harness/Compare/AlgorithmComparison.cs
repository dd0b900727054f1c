using System.Globalization;
using System.Text;
using Coup.Checkers;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Compare;

/// <summary>One algorithm's row: simulator runs under the nemesis, election cost, container runs if any.</summary>
public sealed record ComparisonRow
{
    public required IAlgorithmDefinition Algorithm { get; init; }
    public required int Runs { get; init; }
    public required int Invalid { get; init; }
    public required int Unknown { get; init; }
    public required int SafetyViolations { get; init; }
    public required int DuelingWrites { get; init; }
    public required int SplitBrainRuns { get; init; }
    /// <summary>
    /// Runs in which two nodes led at once in the cluster, whatever their groups (invitation's groups hide this from
    /// per-group checks).
    /// </summary>
    public required int ClusterTwoLeadersRuns { get; init; }
    public required double SplitBrainMsMedian { get; init; }
    public ElectionCost? Cost { get; init; }
    public IReadOnlyList<int> ContainerExitCodes { get; init; } = [];
    /// <summary>
    /// The same election cost counted in containers by the node host; null when not measured or no new leader.
    /// </summary>
    public ElectionCost? ContainerCost { get; init; }
    public bool ContainerCostMeasured { get; init; }
}

/// <summary>
/// Runs every algorithm under the same faults and seeds in the simulator, checks each history
/// with the same checkers, and renders the comparison as a markdown table.
/// </summary>
public static class AlgorithmComparison
{
    /// <exception cref="OperationCanceledException">When <paramref name="cancellation"/> fires.</exception>
    public static ComparisonRow Simulate(IAlgorithmDefinition algorithm, IReadOnlyList<FaultChoice> nemesis, int seeds,
        double timeLimitS, double intervalS, string scratch, CancellationToken cancellation = default)
    {
        var verdicts = new List<Results>();
        var clusterTwoLeaders = 0;
        for (var seed = 1; seed <= seeds; seed++)
        {
            var plan = new RunPlan
            {
                Algorithm = algorithm.Name,
                Seed = seed,
                Nemesis = nemesis,
                TimeLimitS = timeLimitS,
                IntervalS = intervalS,
                Runtime = RuntimeKind.Sim
            };
            var path = Path.Combine(scratch, $"{algorithm.Name}-{seed}.jsonl");
            File.Delete(path);
            using (var writer = new HistoryWriter(path))
            {
                SimulatedRuntime.Record(plan, writer, DateTimeOffset.UnixEpoch, cancellation);
            }
            cancellation.ThrowIfCancellationRequested();
            var history = RunHistory.Read(path);
            verdicts.Add(CheckerSuite.Run(history));
            clusterTwoLeaders += MostLeadersAtOnce(history) >= 2 ? 1 : 0;
            File.Delete(path);
        }
        static bool Failed(Results r, string checker) =>
            r.Checks.Any(c => c.Checker == checker && c.Verdict == Verdict.Invalid);
        var splitMs = verdicts
            .Select(r => r.Checks.First(c => c.Checker == "split-brain").Figures.GetValueOrDefault("splitBrainMs"))
            .Order()
            .ToList();
        var costs = Enumerable.Range(1, 5)
            .Select(seed => ElectionCosts.Measure(algorithm.Name, 5, seed))
            .OfType<ElectionCost>()
            .ToList();
        return new ComparisonRow
        {
            Algorithm = algorithm,
            Runs = seeds,
            Invalid = verdicts.Count(r => r.Verdict == Verdict.Invalid),
            Unknown = verdicts.Count(r => r.Verdict == Verdict.Unknown),
            SafetyViolations = verdicts.Count(r => Failed(r, "election-safety")),
            DuelingWrites = verdicts.Count(r => Failed(r, "dueling-writes")),
            SplitBrainRuns = verdicts.Count(r => r.Anomalies.Any(a => a.Kind == "split-brain")),
            ClusterTwoLeadersRuns = clusterTwoLeaders,
            SplitBrainMsMedian = splitMs.Count == 0 ? 0 : splitMs[splitMs.Count / 2],
            Cost = ElectionCost.Mean(costs),
        };
    }

    /// <summary>
    /// The most nodes that claimed leadership at one instant, across all groups; a killed node
    /// claims nothing. Where a node leads several groups at once (a broker's partitions), leaders
    /// of different groups are the design, so the most claimants of any one group counts.
    /// </summary>
    private static int MostLeadersAtOnce(RunHistory history)
    {
        var exclusive = history.Run.GroupsAreExclusive;
        var leading = new HashSet<(string Node, string Group)>();
        var most = 0;
        foreach (var historyEvent in history.Events)
        {
            switch (historyEvent)
            {
                case StateObserved state when state.IsLeader:
                    leading.Add((state.Node, exclusive ? "" : state.Group));
                    break;
                case StateObserved state:
                    leading.Remove((state.Node, exclusive ? "" : state.Group));
                    break;
                case FaultEvent { Phase: "start", Kind: Coup.History.FaultKinds.Kill } kill:
                    leading.RemoveWhere(l => kill.Targets.Contains(l.Node));
                    break;
            }
            most = Math.Max(most, leading.GroupBy(l => l.Group).Select(g => g.Count()).DefaultIfEmpty(0).Max());
        }
        return most;
    }

    /// <param name="every">Whether every algorithm ran, or the ones <c>--algorithms</c> named (the rows say
    /// which).</param>
    public static string Markdown(
        IReadOnlyList<ComparisonRow> rows, string nemesis, double timeLimitS, string command, bool every = true)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Produced by `{command}`: {(every ? "every algorithm" : "the algorithms named")}"
                + $", 5 nodes, nemesis `{nemesis}`, {timeLimitS}"
                + $" s per run, the same seeds for all; histories checked by the same checkers.");
        text.AppendLine();
        text.AppendLine("| algorithm | claims | sim runs | invalid | election-safety violated | dueling writes "
            + "| runs with split brain in a group (median ms) | runs with two leaders in the cluster "
            + "| election after leader kill, simulator: messages / rounds / ms | container runs (exit codes) "
            + "| election after leader kill, containers: messages / rounds / ms |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        static string Cost(ElectionCost? cost) => cost is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"{c.Messages} / {c.Rounds} / {c.LatencyMs:0}")
            : "no new leader";
        foreach (var row in rows)
        {
            var cost = Cost(row.Cost);
            var containerCost = row.ContainerCostMeasured ? Cost(row.ContainerCost) : "not run";
            var containers = row.ContainerExitCodes.Count == 0 ? "not run" : string.Join(", ", row.ContainerExitCodes);
            var name = row.Algorithm.Broken ? $"{row.Algorithm.Name} (broken on purpose)" : row.Algorithm.Name;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {row.Algorithm.Safety} | {row.Runs} | {row.Invalid}"
                    + $"{(row.Unknown > 0 ? $" (+{row.Unknown} unknown)" : "")} | {row.SafetyViolations}"
                    + $" | {row.DuelingWrites} | {row.SplitBrainRuns} ({row.SplitBrainMsMedian:0}"
                    + $") | {row.ClusterTwoLeadersRuns} | {cost} | {containers} | {containerCost} |");
        }
        return text.ToString();
    }
}
