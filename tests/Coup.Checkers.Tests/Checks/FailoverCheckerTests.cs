using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

public sealed class FailoverCheckerTests
{
    private static CheckResult Check(RunHistory history) => new FailoverChecker().Check(history);

    [Fact]
    public void Given_a_killed_leader_and_a_new_majority_leader_When_checked_Then_both_latencies_are_exact()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .State(1150, "n2", Roles.Leader, 2, "n2")
            .State(1160, "n3", Roles.Follower, 2, "n2")
            .State(1170, "n4", Roles.Follower, 2, "n2")
            .Build(3000, 2000);

        var failover = Assert.Single(Check(history).Failovers);

        Assert.Equal(
            (FaultKinds.Kill, "n1", 1L, "n2", 2L),
            (failover.FaultKind, failover.OldLeader, failover.OldTerm, failover.NewLeader, failover.NewTerm));
        Assert.Equal(HistoryBuilder.Ns(150), failover.ToFirstClaimNs);
        Assert.Equal(HistoryBuilder.Ns(170), failover.ToMajorityLeaderNs);
    }

    [Fact]
    public void Given_a_killed_follower_that_acked_the_new_leader_When_checked_Then_it_stops_counting_to_the_majority()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .State(1100, "n3", Roles.Follower, 2, "n2")
            .Fault(1120, "start", FaultKinds.Kill, "n3")
            .State(1150, "n2", Roles.Leader, 2, "n2")
            .State(1160, "n4", Roles.Follower, 2, "n2")
            .State(1190, "n5", Roles.Follower, 2, "n2")
            .Build(3000, 2000);

        Assert.Equal(HistoryBuilder.Ns(190), Assert.Single(Check(history).Failovers).ToMajorityLeaderNs);
    }

    [Fact]
    public void Given_a_paused_leader_When_a_successor_is_elected_Then_the_failover_is_measured()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Pause, "n1")
            .Elected(1400, "n2", 2, ["n3", "n4", "n5"])
            .Build(3000, 2000);

        var failover = Assert.Single(Check(history).Failovers);

        Assert.Equal(
            (FaultKinds.Pause, HistoryBuilder.Ns(400), HistoryBuilder.Ns(400)),
            (failover.FaultKind, failover.ToFirstClaimNs, failover.ToMajorityLeaderNs));
    }

    [Fact]
    public void Given_a_fault_that_spared_the_leader_When_checked_Then_there_is_no_failover()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n4")
            .Build(3000, 2000);

        Assert.Empty(Check(history).Failovers);
    }

    [Fact]
    public void Given_a_clock_fault_on_the_leader_When_checked_Then_it_is_not_a_failover()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Clock, "n1")
            .Elected(1400, "n2", 2)
            .Build(3000, 2000);

        Assert.Empty(Check(history).Failovers);
    }

    [Fact]
    public void Given_a_claim_that_never_won_a_majority_When_checked_Then_only_the_first_claim_is_measured()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Partition, "n1", "n2")
            .Leader(1300, "n3", 2)
            .Build(3000, 2000);

        var result = Check(history);

        var failover = Assert.Single(result.Failovers);
        Assert.Equal(HistoryBuilder.Ns(300), failover.ToFirstClaimNs);
        Assert.Null(failover.ToMajorityLeaderNs);
        Assert.Equal(1, result.Figures["withoutMajorityLeader"]);
        Assert.False(result.Figures.ContainsKey("toMajorityLeaderP50Ms"));
    }

    [Fact]
    public void Given_three_failovers_When_checked_Then_the_figures_give_nearest_rank_percentiles_and_the_maximum()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1").Elected(1100, "n2", 2, ["n3", "n4", "n5"])
            .Fault(2000, "start", FaultKinds.Kill, "n2").Elected(2300, "n3", 3, ["n4", "n5", "n1"])
            .Fault(3000, "start", FaultKinds.Kill, "n3").Elected(3200, "n4", 4, ["n5", "n1", "n2"])
            .Build(5000, 4000);

        var result = Check(history);

        Assert.Equal(3, result.Figures["failovers"]);
        Assert.Equal(200, result.Figures["toMajorityLeaderP50Ms"], precision: 6);
        Assert.Equal(300, result.Figures["toMajorityLeaderP99Ms"], precision: 6);
        Assert.Equal(300, result.Figures["toMajorityLeaderMaxMs"], precision: 6);
    }

    [Fact]
    public void Given_a_leader_every_node_acknowledged_When_no_fault_took_it_away_Then_it_is_valid_and_says_so()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n4")
            .Build(3000, 2000);

        var result = Check(history);

        Assert.Equal((Verdict.Valid, "no fault took the leader away"), (result.Verdict, result.Summary));
    }

    [Fact]
    public void Given_no_node_ever_claimed_to_lead_When_a_fault_hit_Then_it_is_unknown_rather_than_no_failover()
    {
        var history = new HistoryBuilder(nodes: 3)
            .State(100, "n1", Roles.Candidate, 1)
            .State(100, "n2", Roles.Follower, 1)
            .State(100, "n3", Roles.Follower, 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .Build(3000, 2000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: no node ever claimed to lead", result.Summary);
    }

    [Fact]
    public void Given_a_node_that_never_reported_When_checked_Then_it_is_unknown_and_names_it()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1, followers: ["n2", "n3", "n4"]).Build(3000, 2000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: n5 never reported a state", result.Summary);
    }

    [Theory]
    [InlineData(50, 5)]
    [InlineData(99, 10)]
    [InlineData(100, 10)]
    [InlineData(0, 1)]
    public void Given_ten_values_When_a_nearest_rank_percentile_is_taken_Then_it_is_one_of_them(
        double percentile, double expected)
    {
        IReadOnlyList<double> sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(expected, Percentiles.NearestRank(sorted, percentile));
    }
}
