using Coup.Checkers.Checks;
using Coup.Checkers.History;

namespace Coup.Checkers.Tests;

public sealed class SafetyCheckerTests
{
    [Fact]
    public void Given_two_nodes_claiming_the_same_term_When_checked_Then_election_safety_is_invalid_and_names_both()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 3).State(500, "n2", Roles.Leader, 3, "n2").Build(1000, 900);

        var result = new ElectionSafetyChecker().Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal(["n1", "n2"], anomaly.Nodes);
        Assert.Equal([3L], anomaly.Terms);
        Assert.Equal(500_000_000, anomaly.StartNs);
    }

    [Fact]
    public void Given_leaders_in_successive_terms_When_checked_Then_election_safety_is_valid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Elected(900, "n2", 2).Build(1000, 900);

        Assert.Equal(Verdict.Valid, new ElectionSafetyChecker().Check(history).Verdict);
    }

    [Fact]
    public void Given_a_stale_leader_beside_a_newer_one_When_checked_Then_the_split_brain_window_is_reported_but_not_a_violation()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(2000, "n3", 2, followers: ["n2", "n4", "n5"])
            .State(3000, "n1", Roles.Follower, 2, "n3")
            .Build(5000, 4000);

        var result = new SplitBrainChecker().Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        var window = Assert.Single(result.Anomalies);
        Assert.False(window.Violation);
        Assert.Equal(["n1", "n3"], window.Nodes.Order());
        Assert.Equal(2_000_000_000, window.StartNs);
        Assert.Equal(3_000_000_000, window.EndNs);
    }

    [Fact]
    public void Given_two_leaders_of_the_same_term_at_once_When_checked_Then_split_brain_is_invalid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 4).State(200, "n2", Roles.Leader, 4, "n2").Build(1000, 900);

        Assert.Equal(Verdict.Invalid, new SplitBrainChecker().Check(history).Verdict);
    }

    [Fact]
    public void Given_a_killed_leader_When_another_is_elected_Then_there_is_no_split_brain_window()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(1000, "start", FaultKinds.Kill, "n1").Elected(1200, "n2", 2, ["n3", "n4", "n5"]).Build(3000, 2000);

        Assert.Empty(new SplitBrainChecker().Check(history).Anomalies);
    }

    [Fact]
    public void Given_two_sides_each_acknowledging_writes_When_checked_Then_dueling_writes_is_invalid()
    {
        // Bully under a partition: n5 leads one side in term 7, n2 the other in term 9; both keep acknowledging.
        var history = new HistoryBuilder()
            .Elected(100, "n5", 7)
            .Write(1000, 1010, "n2", 9)
            .Write(1100, 1110, "n5", 7)
            .Build(2000, 1500);

        var result = new DuelingWritesChecker().Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal("stale-write", anomaly.Kind);
        Assert.Equal(["n2", "n5"], anomaly.Nodes);
    }

    [Fact]
    public void Given_writes_acknowledged_by_two_nodes_in_one_term_When_checked_Then_dueling_writes_is_invalid()
    {
        var history = new HistoryBuilder().Write(100, 110, "n1", 3).Write(105, 120, "n2", 3, process: 1).Build(1000, 900);

        Assert.Equal("dueling-writes", Assert.Single(new DuelingWritesChecker().Check(history).Anomalies).Kind);
    }

    [Fact]
    public void Given_a_handover_with_overlapping_writes_in_increasing_terms_When_checked_Then_dueling_writes_is_valid()
    {
        // Raft may acknowledge an old-term write after a new leader's write began: their intervals overlap.
        var history = new HistoryBuilder().Write(100, 400, "n1", 1).Write(200, 300, "n2", 2, process: 1).Write(500, 510, "n2", 2).Build(1000, 900);

        Assert.Equal(Verdict.Valid, new DuelingWritesChecker().Check(history).Verdict);
    }

    [Fact]
    public void Given_a_node_whose_term_goes_back_When_checked_Then_term_monotonicity_is_invalid()
    {
        var history = new HistoryBuilder().State(100, "n1", Roles.Follower, 5).State(200, "n1", Roles.Follower, 4).Build(1000, 900);

        var anomaly = Assert.Single(new TermMonotonicityChecker().Check(history).Anomalies);
        Assert.Equal([5L, 4L], anomaly.Terms);
    }
}
