using Coup.Checkers.Checks;
using Coup.Checkers.History;

namespace Coup.Checkers.Tests.Checks;

public sealed class SplitBrainCheckerTests
{
    private static CheckResult Check(History.History history) => new SplitBrainChecker().Check(history);

    [Fact]
    public void Given_a_stale_leader_beside_a_newer_one_When_checked_Then_the_window_is_reported_but_the_verdict_is_valid()
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
        Assert.StartsWith("stale leader n1 of term 1 beside leader n3 of term 2", window.Description);
    }

    [Fact]
    public void Given_two_leaders_of_the_same_term_at_once_When_checked_Then_it_is_invalid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 4).Leader(200, "n2", 4).State(300, "n2", Roles.Follower, 4, "n1").Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var window = Assert.Single(result.Anomalies);
        Assert.True(window.Violation);
        Assert.StartsWith("same term: n1 and n2 claimed term 4 at once", window.Description);
    }

    [Fact]
    public void Given_a_killed_leader_When_another_is_elected_Then_there_is_no_window()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(1000, "start", FaultKinds.Kill, "n1").Elected(1200, "n2", 2, ["n3", "n4", "n5"]).Build(3000, 2000);

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
        var history = new HistoryBuilder().Elected(100, "n1", 1).Elected(1000, "n2", 2, ["n3", "n4", "n5"]).Build(3000, 2000);

        Assert.Equal(HistoryBuilder.Ns(3000), Assert.Single(Check(history).Anomalies).EndNs);
    }

    [Fact]
    public void Given_a_handover_reported_within_one_instant_When_checked_Then_there_is_no_window()
    {
        // The new claim is recorded before the old leader's step-down, but at the same nanosecond.
        var history = new HistoryBuilder().Elected(100, "n1", 1).Leader(1000, "n2", 2).State(1000, "n1", Roles.Follower, 2, "n2").Build(3000, 2000);

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
        var history = new HistoryBuilder().Elected(100, "n1", 1, group: "p0").Elected(100, "n2", 1, group: "p1").Build(1000, 900);

        Assert.Empty(Check(history).Anomalies);
    }
}
