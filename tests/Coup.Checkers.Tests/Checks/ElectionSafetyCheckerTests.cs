using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

/// <summary>Raft §5.2, Election Safety: "at most one leader can be elected in a given term".</summary>
public sealed class ElectionSafetyCheckerTests
{
    private static CheckResult Check(RunHistory history) => new ElectionSafetyChecker().Check(history);

    [Fact]
    public void Given_two_nodes_claiming_one_term_When_checked_Then_it_is_invalid_and_names_both_at_the_second_claim()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 3).Leader(500, "n2", 3).Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal("same-term-leaders", anomaly.Kind);
        Assert.Equal(["n1", "n2"], anomaly.Nodes);
        Assert.Equal([3L], anomaly.Terms);
        Assert.Equal("default", anomaly.Group);
        Assert.Equal(HistoryBuilder.Ns(500), anomaly.StartNs);
    }

    [Fact]
    public void Given_claims_of_one_term_far_apart_in_time_When_checked_Then_it_is_still_invalid()
    {
        var history = new HistoryBuilder()
            .Leader(100, "n1", 3)
            .State(200, "n1", Roles.Follower, 4)
            .Leader(5000, "n2", 3)
            .Build(6000, 5500);

        Assert.Equal(Verdict.Invalid, Check(history).Verdict);
    }

    [Fact]
    public void Given_leaders_in_successive_terms_When_checked_Then_it_is_valid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Elected(900, "n2", 2).Build(1000, 900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_one_node_announcing_its_claim_twice_When_checked_Then_it_is_valid()
    {
        var history = new HistoryBuilder(nodes: 1).Leader(100, "n1", 1).Leader(200, "n1", 1).Build(1000, 900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_the_same_term_led_by_different_nodes_in_different_groups_When_checked_Then_it_is_valid()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1, group: "p0")
            .Elected(100, "n2", 1, group: "p1")
            .Build(1000, 900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_nodes_that_never_reported_When_no_violation_is_seen_Then_it_is_unknown_and_names_them()
    {
        // n4 and n5 could have claimed term 1 too: nothing recorded says they did not.
        var history = new HistoryBuilder().Elected(100, "n1", 1, followers: ["n2", "n3"]).Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: n4, n5 never reported a state", result.Summary);
    }

    [Fact]
    public void Given_nodes_that_never_reported_When_two_others_claimed_one_term_Then_it_is_still_invalid()
    {
        var history = new HistoryBuilder().Leader(100, "n1", 3).Leader(200, "n2", 3).Build(1000, 900);

        Assert.Equal(Verdict.Invalid, Check(history).Verdict);
    }

    [Fact]
    public void Given_reports_from_every_node_but_no_claim_When_checked_Then_it_is_unknown_for_want_of_a_leader()
    {
        var history = new HistoryBuilder(nodes: 3)
            .State(100, "n1", Roles.Candidate, 1)
            .State(100, "n2", Roles.Follower, 1)
            .State(100, "n3", Roles.Follower, 1)
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: no node ever claimed to lead", result.Summary);
    }
}
