using Coup.Checkers;
using Coup.Harness.Compare;
using Coup.Harness.Matrix;

namespace Coup.Harness.Tests;

/// <summary>How a matrix records one run: the checkers' verdict when they gave the exit code, else unknown.</summary>
public sealed class RunOutcomesTests
{
    private static CheckResult Check(string checker, Verdict verdict, string figure = "", double value = 0) => new()
    {
        Checker = checker,
        Verdict = verdict,
        Summary = "",
        Figures = figure.Length == 0 ? [] : new Dictionary<string, double> { [figure] = value },
    };

    private static FailoverLatency Failover(long? toMajorityLeaderNs) => new()
    {
        FaultKind = "kill",
        FaultStartNs = 0,
        Group = "default",
        OldLeader = "n1",
        OldTerm = 1,
        ToMajorityLeaderNs = toMajorityLeaderNs,
    };

    [Theory]
    [InlineData(ExitCodes.Crash)]
    [InlineData(ExitCodes.Environment)]
    [InlineData(ExitCodes.Interrupted)]
    public void A_run_that_ended_without_a_verdict_is_unknown_with_its_exit_code(int exitCode)
    {
        var outcome = RunOutcomes.From(7, "raft-kill/t", exitCode, 1.5, "./coup run", results: null, cost: null);

        Assert.Equal(Verdict.Unknown, outcome.Verdict);
        Assert.Equal(exitCode, outcome.ExitCode);
        Assert.Empty(outcome.Checks);
        Assert.Empty(outcome.FailoverMs);
    }

    [Fact]
    public void A_cut_short_run_whose_history_proves_a_violation_stays_invalid()
    {
        var invalid = new Results { Verdict = Verdict.Invalid, Checks = [Check("election-safety", Verdict.Invalid)] };
        var valid = new Results { Verdict = Verdict.Valid, Checks = [Check("election-safety", Verdict.Valid)] };

        Assert.Equal(Verdict.Invalid, RunOutcomes.VerdictOf(ExitCodes.Interrupted, invalid));
        Assert.Equal(Verdict.Unknown, RunOutcomes.VerdictOf(ExitCodes.Crash, valid));
    }

    [Fact]
    public void A_checked_run_carries_its_checks_failovers_split_brain_and_unavailability()
    {
        var results = new Results
        {
            Verdict = Verdict.Valid,
            Checks =
            [
                Check("split-brain", Verdict.Valid, "splitBrainMs", 12.5),
                Check("availability", Verdict.Valid, "unavailableMs", 300),
                Check("failover", Verdict.Valid) with { Failovers = [Failover(250_000_000), Failover(null)] },
            ],
        };

        var outcome = RunOutcomes.From(3, "raft-kill/t", ExitCodes.Valid, 2, "./coup run", results,
            new ElectionCost(21, 2, 200));

        Assert.Equal(Verdict.Valid, outcome.Verdict);
        Assert.Equal([250.0], outcome.FailoverMs);
        Assert.Equal(1, outcome.FailoversWithoutLeader);
        Assert.Equal(12.5, outcome.SplitBrainMs);
        Assert.Equal(300, outcome.UnavailableMs);
        Assert.Equal(["split-brain", "availability", "failover"], outcome.Checks.Keys);
        Assert.Equal(21, outcome.MessagesPerElection);
        Assert.Equal(2, outcome.RoundsPerElection);
    }
}
