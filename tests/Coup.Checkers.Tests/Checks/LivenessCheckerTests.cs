using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

/// <summary>TigerBeetle's liveness phase: heal everything, then require convergence.</summary>
public sealed class LivenessCheckerTests
{
    private static CheckResult Check(RunHistory history) => new LivenessChecker().Check(history);

    [Fact]
    public void Given_no_leader_after_the_final_heal_When_checked_Then_it_is_invalid()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1").Fault(3000, "stop", FaultKinds.Kill, "n1")
            .State(1200, "n2", Roles.Candidate, 2)
            .State(1200, "n3", Roles.Candidate, 3)
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal("no-leader-after-heal", anomaly.Kind);
        Assert.Equal((HistoryBuilder.Ns(3000), HistoryBuilder.Ns(8000)), (anomaly.StartNs, anomaly.EndNs));
    }

    [Fact]
    public void Given_a_leader_elected_after_the_final_heal_When_checked_Then_it_is_valid_with_its_convergence_time()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1").Fault(3000, "stop", FaultKinds.Kill, "n1")
            .Elected(3400, "n2", 2, ["n3", "n4", "n5"])
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        Assert.Equal(400, result.Figures["convergeMs"], precision: 6);
    }

    [Fact]
    public void Given_a_leader_that_outlived_every_fault_When_checked_Then_it_converged_at_once()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n4")
            .Fault(2000, "stop", FaultKinds.Kill, "n4")
            .Build(8000, 3000);

        Assert.Equal(0, Check(history).Figures["convergeMs"]);
    }

    [Fact]
    public void Given_an_isolated_old_leader_that_steps_down_after_the_heal_When_checked_Then_it_is_valid()
    {
        // Raft: the old leader only hears of its successor once the partition heals.
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Partition, "n1")
            .Elected(1300, "n2", 2, ["n3", "n4", "n5"])
            .Fault(3000, "stop", FaultKinds.Partition, "n1")
            .State(3050, "n1", Roles.Follower, 2, "n2")
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        Assert.Equal(0, result.Figures["convergeMs"]);
    }

    [Fact]
    public void Given_another_node_claiming_leadership_after_the_heal_When_checked_Then_the_leader_is_unstable()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Leader(4000, "n4", 2)
            .State(4100, "n4", Roles.Follower, 2, "n1")
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal("leader-unstable-after-heal", anomaly.Kind);
        Assert.Equal(["n1", "n4"], anomaly.Nodes);
        Assert.Equal(HistoryBuilder.Ns(4000), anomaly.StartNs);
    }

    [Fact]
    public void Given_an_older_terms_claim_stamped_late_and_ended_at_once_When_checked_Then_the_new_leader_is_stable()
    {
        // A node resumed from a pause delivers its backlog in one burst: its claim of term 2 is
        // stamped just after n4's reign in term 5 began, and ends 9 us later, as it follows n4.
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(3500, "n4", 5, ["n1", "n3", "n5"])
            .Leader(3501, "n2", 2)
            .State(3501.009, "n2", Roles.Follower, 5, "n4")
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
    }

    [Fact]
    public void Given_an_older_terms_claim_still_standing_at_the_end_When_checked_Then_the_leader_is_unstable()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(3500, "n4", 5, ["n1", "n3", "n5"])
            .Leader(3501, "n2", 2)
            .Build(8000, 3000);

        var anomaly = Assert.Single(Check(history).Anomalies);

        Assert.Equal("leader-unstable-after-heal", anomaly.Kind);
        Assert.Equal(["n4", "n2"], anomaly.Nodes);
    }

    [Fact]
    public void Given_a_stale_leader_still_claiming_at_the_end_When_checked_Then_the_leader_is_unstable()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Elected(1300, "n2", 2, ["n3", "n4", "n5"])
            .Build(8000, 3000);

        Assert.Equal("leader-unstable-after-heal", Assert.Single(Check(history).Anomalies).Kind);
    }

    [Fact]
    public void Given_a_run_without_a_final_heal_When_checked_Then_it_is_unknown_and_says_why()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build(8000, healedMs: null);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("without a final heal", result.Summary);
    }

    [Fact]
    public void Given_a_history_cut_short_When_checked_Then_it_is_unknown()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build();

        Assert.Equal(Verdict.Unknown, Check(history).Verdict);
    }

    [Fact]
    public void Given_a_run_start_and_a_run_end_and_nothing_between_When_checked_Then_it_is_unknown()
    {
        var history = new HistoryBuilder().Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("missing evidence: no node ever reported a state", result.Summary);
    }

    [Fact]
    public void Given_nodes_that_never_reported_When_the_others_follow_one_leader_Then_it_is_unknown_and_names_them()
    {
        // A majority (3 of 5) follows n1, but n4 and n5 may still claim to lead: nothing says they do not.
        var history = new HistoryBuilder().Elected(100, "n1", 1, followers: ["n2", "n3"]).Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal("missing evidence: n4, n5 never reported a state", result.Summary);
    }

    [Fact]
    public void Given_a_leader_paused_and_never_resumed_When_checked_Then_it_is_unknown_and_names_the_pause()
    {
        // The paused leader still believes it leads, and its followers have not heard otherwise:
        // a stable leader by every word recorded, and no evidence of one at all.
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Pause, "n1")
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal(
            "missing evidence: the pause of n1 (started at 1.000 s) never stopped before the final heal",
            result.Summary);
    }

    [Fact]
    public void Given_a_leader_killed_and_never_restarted_When_a_successor_leads_Then_it_is_unknown_naming_the_kill()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .Elected(1300, "n2", 2, ["n3", "n4", "n5"])
            .Build(8000, 3000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Contains("the kill of n1 (started at 1.000 s) never stopped", result.Summary);
    }

    [Fact]
    public void Given_a_fault_stopped_only_after_the_final_heal_When_checked_Then_it_is_unknown()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Partition, "n1", "n2")
            .Fault(3500, "stop", FaultKinds.Partition, "n1", "n2")
            .Build(8000, 3000);

        Assert.Equal(Verdict.Unknown, Check(history).Verdict);
    }

    [Fact]
    public void Given_an_unstopped_fault_and_no_leader_after_the_heal_When_checked_Then_it_is_unknown_not_invalid()
    {
        // With the majority still killed, no leader says nothing about the algorithm.
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1", "n2", "n3")
            .Build(8000, 3000);

        Assert.Equal(Verdict.Unknown, Check(history).Verdict);
    }
}
