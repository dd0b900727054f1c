using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

public sealed class SplitBrainCheckerTests
{
    private static CheckResult Check(RunHistory history) => new SplitBrainChecker().Check(history);

    [Fact]
    public void Given_a_stale_leader_beside_a_newer_one_When_checked_Then_the_window_is_reported_but_it_is_valid()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(2000, "n3", 2, followers: ["n2", "n4", "n5"])
            .State(3000, "n1", Roles.Follower, 2, "n3")
            .Build(5000, 4000);

        var result = Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        var window = Assert.Single(result.Anomalies);
        Assert.False(window.Violation);
        Assert.Equal(["n1", "n3"], window.Nodes);
        Assert.Equal([1L, 2L], window.Terms);
        Assert.Equal((HistoryBuilder.Ns(2000), HistoryBuilder.Ns(3000)), (window.StartNs, window.EndNs));
        Assert.StartsWith("leaders of different terms at once: n1 in term 1, n3 in term 2", window.Description);
    }

    [Fact]
    public void Given_two_leaders_of_the_same_term_at_once_When_checked_Then_it_is_invalid()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 4)
            .Leader(200, "n2", 4)
            .State(300, "n2", Roles.Follower, 4, "n1")
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var window = Assert.Single(result.Anomalies);
        Assert.True(window.Violation);
        Assert.StartsWith("same term: n1 and n2 claimed term 4 at once", window.Description);
    }

    [Fact]
    public void Given_a_killed_leader_When_another_is_elected_Then_there_is_no_window()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .Elected(1200, "n2", 2, ["n3", "n4", "n5"])
            .Build(3000, 2000);

        Assert.Empty(Check(history).Anomalies);
    }

    [Fact]
    public void Given_a_paused_leader_When_another_is_elected_Then_its_claim_lasts_until_it_reports_again()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Pause, "n1")
            .Elected(1200, "n2", 2, ["n3", "n4", "n5"])
            .Fault(2000, "stop", FaultKinds.Pause, "n1")
            .State(2050, "n1", Roles.Follower, 2, "n2")
            .Build(3000, 2000);

        var window = Assert.Single(Check(history).Anomalies);

        Assert.Equal((HistoryBuilder.Ns(1200), HistoryBuilder.Ns(2050)), (window.StartNs, window.EndNs));
    }

    [Fact]
    public void Given_a_stale_claim_never_withdrawn_When_checked_Then_the_window_runs_to_the_end_of_the_history()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(1000, "n2", 2, ["n3", "n4", "n5"])
            .Build(3000, 2000);

        Assert.Equal(HistoryBuilder.Ns(3000), Assert.Single(Check(history).Anomalies).EndNs);
    }

    [Fact]
    public void Given_a_handover_reported_within_one_instant_When_checked_Then_there_is_no_window()
    {
        // The new claim is recorded before the old leader's step-down, but at the same nanosecond.
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Leader(1000, "n2", 2)
            .State(1000, "n1", Roles.Follower, 2, "n2")
            .Build(3000, 2000);

        Assert.Empty(Check(history).Anomalies);
    }

    [Fact]
    public void Given_two_windows_When_checked_Then_the_figures_give_their_count_total_and_longest()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(1000, "n2", 2, ["n3", "n4", "n5"]).State(1100, "n1", Roles.Follower, 2, "n2")
            .Elected(2000, "n3", 3, ["n1", "n4", "n5"]).State(2300, "n2", Roles.Follower, 3, "n3")
            .Build(3000, 2500);

        var figures = Check(history).Figures;

        Assert.Equal(2, figures["windows"]);
        Assert.Equal(400, figures["splitBrainMs"], precision: 6);
        Assert.Equal(300, figures["longestMs"], precision: 6);
    }

    [Fact]
    public void Given_leaders_of_different_groups_at_once_When_checked_Then_there_is_no_window()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1, group: "p0")
            .Elected(100, "n2", 1, group: "p1")
            .Build(1000, 900);

        Assert.Empty(Check(history).Anomalies);
    }

    [Fact]
    public void Given_a_stale_leader_claiming_anew_as_the_window_ends_When_checked_Then_each_node_has_its_terms()
    {
        // Bully under a partition (seed 2): n5 leads term 2 on its side while n4 leads term 3 on the
        // other; after the heal n5 claims term 4 and n4 steps down 68 us later. The window is n5's
        // term 2 beside n4's term 3, then, briefly, n5's term 4 beside it.
        var history = new HistoryBuilder()
            .Elected(100, "n5", 2)
            .Fault(11_084, "start", FaultKinds.Partition, "n2", "n5")
            .Elected(11_320, "n4", 3, followers: ["n1", "n3"])
            .Fault(15_892.7, "stop", FaultKinds.Partition, "n2", "n5")
            .Leader(15_910.986, "n5", 4)
            .State(15_911.054, "n4", Roles.Follower, 3)
            .Build(20_000, 16_000);

        var window = Assert.Single(Check(history).Anomalies);

        Assert.Equal(
            "leaders of different terms at once: n5 in term 2 then 4, n4 in term 3, for 4591.054 ms",
            window.Description);
        Assert.Equal(["n5", "n4"], window.Nodes);
        Assert.Equal([2L, 3L, 4L], window.Terms);
    }

    [Fact]
    public void Given_a_run_start_and_a_run_end_and_nothing_between_When_checked_Then_it_is_unknown()
    {
        var result = Check(new HistoryBuilder().Build(1000, 900));

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: no node ever reported a state", result.Summary);
    }

    [Fact]
    public void Given_a_node_that_never_reported_When_the_others_had_one_leader_Then_it_is_unknown()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1, followers: ["n2", "n3", "n4"]).Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: n5 never reported a state", result.Summary);
    }
}
