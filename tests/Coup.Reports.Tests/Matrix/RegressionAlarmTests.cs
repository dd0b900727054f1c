using Coup.Checkers;
using Coup.Reports.Matrix;
using static Coup.Reports.Tests.Matrix.Matrices;

namespace Coup.Reports.Tests.Matrix;

public class RegressionAlarmTests
{
    private static readonly double[] Steady = [300, 310, 320, 290, 305];

    public static TheoryData<string, MatrixResult, MatrixResult, string[], int> Plantings() => new()
    {
        {
            "a cell valid before and invalid now",
            Of(Cell("raft", "kill", Run(1, Verdict.Valid, Steady), Run(2, Verdict.Valid, Steady))),
            Of(Cell("raft", "kill", Run(1, Verdict.Valid, Steady), Run(2, Verdict.Invalid, Steady))),
            ["raft/kill/sim/5 became-invalid"], 1
        },
        {
            "a new unknown",
            Of(Cell("zab", "pause", Run(1, Verdict.Valid, Steady), Run(2, Verdict.Valid, Steady))),
            Of(Cell("zab", "pause", Run(1, Verdict.Unknown, Steady), Run(2, Verdict.Valid, Steady))),
            ["zab/pause/sim/5 new-unknown"], 2
        },
        {
            "an unknown cell that was unknown already is not new",
            Of(Cell("zab", "pause", Run(1, Verdict.Unknown, Steady), Run(2, Verdict.Valid, Steady))),
            Of(Cell("zab", "pause", Run(1, Verdict.Unknown, Steady), Run(2, Verdict.Valid, Steady))),
            [], 2
        },
        {
            "an invalid cell that was invalid already is no regression but still fails",
            Of(Cell("bully", "partition", Run(1, Verdict.Invalid, Steady), Run(2, Verdict.Valid, Steady))),
            Of(Cell("bully", "partition", Run(1, Verdict.Invalid, Steady), Run(2, Verdict.Valid, Steady))),
            [], 1
        },
        {
            "a cell new tonight that is unknown",
            Of(),
            Of(Cell("kafka", "kill", Run(1, Verdict.Unknown, Steady), Run(2, Verdict.Valid, Steady))),
            ["kafka/kill/sim/5 no-baseline-cell", "kafka/kill/sim/5 new-unknown"], 2
        },
        {
            "a cell the plan dropped",
            Of(Cell("raft", "kill", Run(1, Verdict.Valid, Steady), Run(2, Verdict.Valid, Steady)),
                Cell("ring", "kill", Run(1, Verdict.Valid, Steady), Run(2, Verdict.Valid, Steady))),
            Of(Cell("raft", "kill", Run(1, Verdict.Valid, Steady), Run(2, Verdict.Valid, Steady))),
            ["ring/kill/sim/5 cell-gone"], 0
        },
        {
            "one run a side is not enough runs to compare",
            Of(Cell("raft", "kill", Run(1, Verdict.Valid, [.. Steady, .. Steady]))),
            Of(Cell("raft", "kill",
                Run(1, Verdict.Valid, [.. Steady.Select(ms => ms * 3), .. Steady.Select(ms => ms * 3)]))),
            ["raft/kill/sim/5 not-enough-runs"], 0
        },
        {
            "no failovers at all is not enough runs to compare",
            Of(Cell("raft", "none", Run(1, Verdict.Valid), Run(2, Verdict.Valid))),
            Of(Cell("raft", "none", Run(1, Verdict.Valid), Run(2, Verdict.Valid))),
            ["raft/none/sim/5 not-enough-runs"], 0
        },
    };

    [Theory]
    [MemberData(nameof(Plantings))]
    public void Finds_what_was_planted_and_nothing_else(
        string planted, MatrixResult baseline, MatrixResult tonight, string[] expected, int exitCode)
    {
        var alarm = RegressionAlarm.Compare(tonight, baseline);

        Assert.True(expected.SequenceEqual(alarm.Findings.Select(f => $"{f.CellId} {f.KindName}")),
            $"{planted}: found {string.Join("; ", alarm.Findings)}");
        Assert.Equal(exitCode, RegressionAlarm.ExitCode(tonight, alarm));
    }

    [Fact]
    public void Failover_samples_shifted_by_40_percent_are_a_regression_named_with_its_test()
    {
        var random = new Random(7);
        var baseline = Of(Cell("etcd", "partition", Runs(random, runs: 5, perRun: 6, medianMs: 1200)));
        var tonight = Of(Cell("etcd", "partition", Runs(random, runs: 5, perRun: 6, medianMs: 1200 * 1.4)));

        var alarm = RegressionAlarm.Compare(tonight, baseline);

        var slower = Assert.Single(alarm.Regressions);
        Assert.Equal(FindingKind.SlowerFailover, slower.Kind);
        Assert.Contains("one-sided Mann-Whitney p = ", slower.Detail);
        Assert.Equal(1, RegressionAlarm.ExitCode(tonight, alarm));
    }

    [Fact]
    public void The_same_samples_reshuffled_across_runs_are_not_a_regression()
    {
        var random = new Random(11);
        var baseline = Of(Cell("raft", "kill", Runs(random, runs: 6, perRun: 5, medianMs: 400)));
        var samples = baseline.Cells[0].Runs.SelectMany(r => r.FailoverMs).OrderBy(_ => random.Next()).ToArray();
        var tonight = Of(Cell("raft", "kill",
            samples.Chunk(5).Select((chunk, i) => Run(i + 1, Verdict.Valid, chunk)).ToArray()));

        var alarm = RegressionAlarm.Compare(tonight, baseline);

        Assert.Empty(alarm.Findings);
        Assert.Equal(0.5, alarm.Cells[0].Failover!.PValue!.Value, 1);
    }

    [Fact]
    public void Identical_samples_with_ties_everywhere_are_not_a_regression()
    {
        var baseline = Of(Cell("raft", "kill",
            Run(1, Verdict.Valid, 100, 100, 100, 100), Run(2, Verdict.Valid, 100, 100, 100, 100)));

        var alarm = RegressionAlarm.Compare(baseline, baseline);

        Assert.Empty(alarm.Findings);
        Assert.Equal(1, alarm.Cells[0].Failover!.PValue);
    }

    /// <summary>
    /// Under the null hypothesis a level-alpha test raises a false alarm with probability at most
    /// alpha; over 4000 pairs of noisy samples from one distribution the count must stay within what
    /// that allows (alpha * 4000 = 40 expected; 40 + 4 standard deviations = 65).
    /// </summary>
    [Fact]
    public void Noisy_samples_of_one_distribution_raise_false_alarms_at_most_at_the_stated_alpha()
    {
        var random = new Random(2026);
        const int trials = 4000;
        var falseAlarms = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var baseline = Matrices.Runs(random, runs: 4, perRun: 3, medianMs: 800);
            var tonight = Matrices.Runs(random, runs: 4, perRun: 3, medianMs: 800);
            falseAlarms += RegressionAlarm.Compare(Of(Cell("zab", "kill", tonight)), Of(Cell("zab", "kill", baseline)))
                .Regressions.Count();
        }

        var allowed = RegressionAlarm.Alpha * trials +
            4 * Math.Sqrt(trials * RegressionAlarm.Alpha * (1 - RegressionAlarm.Alpha));
        Assert.True(falseAlarms <= allowed,
            $"{falseAlarms} false alarms in {trials} trials, at most {allowed:0} allowed");
    }

    /// <summary>
    /// The test is worth having only if it catches a real slowdown most of the time at nightly sample sizes.
    /// </summary>
    [Fact]
    public void A_40_percent_slowdown_is_caught_in_most_resamples_of_30_failovers_a_side()
    {
        var random = new Random(2027);
        const int trials = 500;
        var caught = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var baseline = Matrices.Runs(random, runs: 5, perRun: 6, medianMs: 800);
            var tonight = Matrices.Runs(random, runs: 5, perRun: 6, medianMs: 800 * 1.4);
            caught += RegressionAlarm.Compare(Of(Cell("zab", "kill", tonight)), Of(Cell("zab", "kill", baseline)))
                .Regressions.Count();
        }

        Assert.True(caught >= 0.9 * trials, $"caught {caught} of {trials}");
    }

    [Fact]
    public void A_faster_failover_is_not_a_regression()
    {
        var random = new Random(5);
        var baseline = Of(Cell("raft", "kill", Runs(random, runs: 5, perRun: 6, medianMs: 900)));
        var tonight = Of(Cell("raft", "kill", Runs(random, runs: 5, perRun: 6, medianMs: 500)));

        var alarm = RegressionAlarm.Compare(tonight, baseline);

        Assert.Empty(alarm.Findings);
        Assert.True(alarm.Cells[0].Failover!.ShiftMs < 0);
    }
}
