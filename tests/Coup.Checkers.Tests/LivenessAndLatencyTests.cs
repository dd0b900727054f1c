using Coup.Checkers.Checks;
using Coup.Checkers.History;

namespace Coup.Checkers.Tests;

public sealed class LivenessAndLatencyTests
{
    [Fact]
    public void Given_a_killed_leader_and_a_new_majority_leader_When_checked_Then_both_failover_latencies_are_exact()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .State(1150, "n2", Roles.Leader, 2, "n2")
            .State(1160, "n3", Roles.Follower, 2, "n2")
            .State(1170, "n4", Roles.Follower, 2, "n2")
            .Build(3000, 2000);

        var failover = Assert.Single(new FailoverChecker().Check(history).Failovers);

        Assert.Equal(("n1", 1L, "n2", 2L), (failover.OldLeader, failover.OldTerm, failover.NewLeader, failover.NewTerm));
        Assert.Equal(150_000_000, failover.ToFirstClaimNs);
        Assert.Equal(170_000_000, failover.ToMajorityLeaderNs);
    }

    [Fact]
    public void Given_a_fault_that_spared_the_leader_When_checked_Then_there_is_no_failover()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(1000, "start", FaultKinds.Kill, "n4").Build(3000, 2000);

        Assert.Empty(new FailoverChecker().Check(history).Failovers);
    }

    [Fact]
    public void Given_no_leader_after_the_final_heal_When_checked_Then_liveness_is_invalid()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .State(1200, "n2", Roles.Candidate, 2)
            .State(1200, "n3", Roles.Candidate, 3)
            .Build(8000, 3000);

        var result = new LivenessChecker().Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        Assert.Equal("no-leader-after-heal", Assert.Single(result.Anomalies).Kind);
    }

    [Fact]
    public void Given_a_stable_leader_after_the_final_heal_When_checked_Then_liveness_is_valid_with_its_convergence_time()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(1000, "start", FaultKinds.Kill, "n1").Elected(3400, "n2", 2, ["n3", "n4", "n5"]).Build(8000, 3000);

        var result = new LivenessChecker().Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        Assert.Equal(400, result.Figures["convergeMs"], precision: 3);
    }

    [Fact]
    public void Given_a_run_without_a_final_heal_When_checked_Then_liveness_is_unknown()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build(8000, healedMs: null);

        Assert.Equal(Verdict.Unknown, new LivenessChecker().Check(history).Verdict);
    }

    [Fact]
    public void Given_a_leaderless_stretch_When_checked_Then_availability_measures_it()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(1000, "start", FaultKinds.Kill, "n1").Elected(1300, "n2", 2, ["n3", "n4", "n5"]).Build(3000, 2000);

        var result = new AvailabilityChecker().Check(history);

        Assert.Equal(300, result.Figures["unavailableMs"], precision: 3);
    }
}
