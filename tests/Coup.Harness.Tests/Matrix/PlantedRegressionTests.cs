using Coup.Checkers;
using Coup.Reports.Matrix;

namespace Coup.Harness.Tests.Matrix;

/// <summary>
/// The regression alarm end to end, as a user plants a regression: <c>coup matrix</c> runs a plan as the
/// baseline and a copy of it as tonight, <c>coup merge --baseline</c> compares them. A broken variant put
/// under a valid target's name is flagged became-invalid, a longer election timeout slower-failover, each
/// with exit 1 and the cell named in the printed line and in comparison.html; an unchanged rerun is not.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PlantedRegressionTests : IDisposable
{
    /// <summary>Amnesia makes raft-forgets-vote elect two leaders in one term; raft holds (AmnesiaTests).</summary>
    private const string AmnesiaPlan = """
        name: planted
        targets:
          - name: raft
        nemeses: [[amnesia]]
        seeds: 2
        time-limit: 40
        interval: 5
        """;

    /// <summary>Leader kills every 4 s: about 8 failovers a run, 24 a cell, past the alarm's minimum.</summary>
    private const string KillPlan = """
        name: planted
        targets:
          - name: raft
        nemeses: [[kill]]
        seeds: 3
        time-limit: 40
        interval: 4
        """;

    private readonly TempStore _store = new();

    private string Dir(string name) => Path.Combine(_store.Root, name);

    private string Plan(string name, string yaml)
    {
        var path = Path.Combine(_store.Root, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Runs the plan into its own store and merges that store against the baseline's.</summary>
    private async Task<(Invocation Merge, MatrixResult Merged, string Comparison)> Tonight(
        string plan, string name, string baseline)
    {
        var matrix = await Invocation.Of(["matrix", plan, "--store", Dir(name)]);
        Assert.True(matrix.Exit is 0 or 1, matrix.Out + matrix.Error);
        var merge = await Invocation.Of(
            ["merge", Dir(name), "--baseline", Dir(baseline), "--output", Dir($"{name}-merged")]);
        var merged = MatrixResult.Read(Path.Combine(Dir($"{name}-merged"), MatrixResult.FileName));
        var comparison = File.ReadAllText(Path.Combine(Dir($"{name}-merged"), ComparisonPage.FileName));
        return (merge, merged, comparison);
    }

    private async Task<MatrixResult> Baseline(string plan, string name)
    {
        var run = await Invocation.Of(["matrix", plan, "--store", Dir(name)]);
        Assert.True(run.Exit == 0, run.Out + run.Error);
        return MatrixResult.Read(Path.Combine(Dir(name), MatrixResult.FileName));
    }

    private static string RegressionLine(Invocation merge) =>
        Assert.Single(merge.Out.Split('\n'), l => l.Contains("against the baseline", StringComparison.Ordinal));

    [Fact]
    public async Task A_broken_variant_under_a_valid_targets_name_is_flagged_became_invalid_with_exit_1()
    {
        var baseline = await Baseline(Plan("baseline.yaml", AmnesiaPlan), "baseline");
        var planted = Plan("planted.yaml", AmnesiaPlan.Replace(
            "  - name: raft\n", "  - name: raft\n    algorithm: raft-forgets-vote\n", StringComparison.Ordinal));

        var (merge, merged, comparison) = await Tonight(planted, "tonight", "baseline");

        Assert.Equal(Verdict.Valid, Assert.Single(baseline.Cells).Verdict);
        var cell = Assert.Single(merged.Cells);
        Assert.Equal(("raft/amnesia/sim/5", Verdict.Invalid), (cell.Id, cell.Verdict));
        Assert.All(cell.Runs, r => Assert.Contains("--algorithm raft-forgets-vote ", r.Reproduce));
        Assert.Equal(1, merge.Exit);
        var invalidSeeds = string.Join(", ", cell.Runs.Where(r => r.Verdict == Verdict.Invalid).Select(r => r.Seed));
        Assert.Equal("1 regression against the baseline: raft/amnesia/sim/5 became-invalid: "
            + $"was valid, now invalid (seeds {invalidSeeds})", RegressionLine(merge));
        Assert.Contains("raft/amnesia/sim/5", comparison);
        Assert.Contains("became-invalid", comparison);
        Assert.Contains(">1 regression</span>", comparison);
    }

    [Fact]
    public async Task An_unchanged_rerun_against_its_own_baseline_is_not_flagged_and_exits_0()
    {
        var plan = Plan("plan.yaml", AmnesiaPlan);
        var baseline = await Baseline(plan, "baseline");

        var (merge, merged, comparison) = await Tonight(plan, "rerun", "baseline");

        Assert.Equal(0, merge.Exit);
        Assert.Equal("no regression against the baseline", RegressionLine(merge));
        Assert.Equal(baseline.Cells.Select(c => (c.Id, c.Verdict)), merged.Cells.Select(c => (c.Id, c.Verdict)));
        Assert.DoesNotContain("became-invalid", comparison);
        Assert.DoesNotContain("slower-failover", comparison);
        Assert.DoesNotContain(" regression</span>", comparison);
    }

    [Fact]
    public async Task A_longer_election_timeout_is_flagged_as_slower_failover_with_exit_1()
    {
        var baseline = await Baseline(Plan("baseline.yaml", KillPlan), "baseline");
        var slower = Plan("slower.yaml", KillPlan.Replace(
            "  - name: raft\n", "  - name: raft\n    settings: {election-timeout-ms: 600}\n",
            StringComparison.Ordinal));

        var (merge, merged, comparison) = await Tonight(slower, "tonight", "baseline");

        var before = FailoverSample.Of(Assert.Single(baseline.Cells));
        var cell = Assert.Single(merged.Cells);
        var after = FailoverSample.Of(cell);
        Assert.Equal(("raft/kill/sim/5", Verdict.Valid), (cell.Id, cell.Verdict));
        Assert.All(cell.Runs, r => Assert.Contains("--set election-timeout-ms=600 ", r.Reproduce));
        Assert.True(before.Runs >= RegressionAlarm.RunsMin && before.SortedMs.Count >= RegressionAlarm.SamplesMin
            && after.Runs >= RegressionAlarm.RunsMin && after.SortedMs.Count >= RegressionAlarm.SamplesMin,
            $"{before.SortedMs.Count} failovers from {before.Runs} runs, "
            + $"then {after.SortedMs.Count} from {after.Runs}");
        // A follower stands only after its election timeout (at least 600 ms) since the last heartbeat
        // (at most 30 ms before the kill); the defaults draw timeouts from 150-300 ms.
        Assert.True(after.SortedMs[0] > 600 - 30, $"fastest failover {after.SortedMs[0]} ms");
        Assert.True(before.Percentile(50) < after.SortedMs[0], $"p50 {before.Percentile(50)} ms before");
        Assert.Equal(1, merge.Exit);
        var line = RegressionLine(merge);
        Assert.StartsWith("1 regression against the baseline: raft/kill/sim/5 slower-failover: failover slower: p50 ",
            line);
        Assert.Contains("one-sided Mann-Whitney p = ", line);
        Assert.Contains("raft/kill/sim/5", comparison);
        Assert.Contains(">1 regression</span>", comparison);
        Assert.Contains("slower-failover", comparison);
    }

    public void Dispose() => _store.Dispose();
}
