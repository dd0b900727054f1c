using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

public sealed class TermMonotonicityCheckerTests
{
    private static CheckResult Check(RunHistory history) => new TermMonotonicityChecker().Check(history);

    [Fact]
    public void Given_a_node_whose_term_goes_back_When_checked_Then_it_is_invalid_with_both_terms()
    {
        var history = new HistoryBuilder()
            .State(100, "n1", Roles.Follower, 5)
            .State(200, "n1", Roles.Follower, 4)
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal("term-regression", anomaly.Kind);
        Assert.Equal(["n1"], anomaly.Nodes);
        Assert.Equal([5L, 4L], anomaly.Terms);
    }

    [Fact]
    public void Given_more_regressions_than_examples_kept_When_checked_Then_all_are_counted_and_the_first_listed()
    {
        var regressions = Examples.KeptMax + 5;
        var builder = new HistoryBuilder(nodes: 1);
        for (var i = 0; i < regressions; i++)
        {
            builder.State(2 * i + 1, "n1", Roles.Follower, 2).State(2 * i + 2, "n1", Roles.Follower, 1);
        }

        var result = Check(builder.Build(3 * regressions, 3 * regressions));

        Assert.Equal(Verdict.Invalid, result.Verdict);
        Assert.Equal(regressions, result.Figures["regressions"]);
        Assert.Equal(Examples.KeptMax, result.Anomalies.Count);
        Assert.Equal(HistoryBuilder.Ns(1), result.Anomalies[0].StartNs);
        Assert.Equal($"{regressions} term regressions (the first {Examples.KeptMax} listed)", result.Summary);
    }

    [Fact]
    public void Given_a_node_that_forgets_its_term_across_a_restart_When_checked_Then_it_is_invalid()
    {
        var history = new HistoryBuilder()
            .Leader(100, "n1", 3)
            .Fault(500, "start", FaultKinds.Kill, "n1").Fault(800, "stop", FaultKinds.Kill, "n1")
            .State(900, "n1", Roles.Follower, 0)
            .Build(1000, 950);

        Assert.Equal(Verdict.Invalid, Check(history).Verdict);
    }

    [Fact]
    public void Given_different_nodes_at_different_terms_When_checked_Then_it_is_valid()
    {
        var history = new HistoryBuilder(nodes: 2)
            .State(100, "n1", Roles.Follower, 5)
            .State(200, "n2", Roles.Follower, 4)
            .Build(1000, 900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_one_node_in_two_groups_When_checked_Then_each_group_keeps_its_own_terms()
    {
        var history = new HistoryBuilder(nodes: 1)
            .State(100, "n1", Roles.Follower, 5, group: "p0")
            .State(200, "n1", Roles.Follower, 1, group: "p1")
            .Build(1000, 900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_a_node_that_never_reported_When_checked_Then_it_is_unknown_and_names_it()
    {
        var history = new HistoryBuilder(nodes: 3)
            .State(100, "n1", Roles.Follower, 5)
            .State(200, "n3", Roles.Follower, 5)
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: n2 never reported a state", result.Summary);
    }
}
