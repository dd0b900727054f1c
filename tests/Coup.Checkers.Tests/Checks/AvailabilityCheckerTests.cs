using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

public sealed class AvailabilityCheckerTests
{
    private static CheckResult Check(RunHistory history) => new AvailabilityChecker().Check(history);

    [Fact]
    public void Given_a_leaderless_stretch_after_a_kill_When_checked_Then_it_is_measured_from_the_first_leader_on()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .Elected(1300, "n2", 2, ["n3", "n4", "n5"])
            .Build(3000, 2000);

        var figures = Check(history).Figures;

        Assert.Equal(100, figures["firstLeaderMs"], precision: 6);
        Assert.Equal(300, figures["unavailableMs"], precision: 6);
        Assert.Equal(300, figures["longestUnavailableMs"], precision: 6);
    }

    [Fact]
    public void Given_no_leader_at_the_end_When_checked_Then_the_open_stretch_runs_to_the_end()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1")
            .Build(3000, 2000);

        Assert.Equal(2000, Check(history).Figures["unavailableMs"], precision: 6);
    }

    [Fact]
    public void Given_a_cluster_that_never_elected_a_leader_When_checked_Then_the_whole_run_is_unavailable()
    {
        var history = new HistoryBuilder(nodes: 3)
            .State(100, "n1", Roles.Candidate, 1)
            .State(100, "n2", Roles.Follower, 1)
            .State(100, "n3", Roles.Follower, 1)
            .Build(3000, 2000);

        var figures = Check(history).Figures;

        Assert.Equal(3000, figures["unavailableMs"], precision: 6);
        Assert.False(figures.ContainsKey("firstLeaderMs"));
    }

    [Fact]
    public void Given_client_operations_When_checked_Then_they_are_counted_by_outcome()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Write(200, 210, "n1", 1).Write(300, 310, "n1", 1).Write(400, 410, "n1", 1)
            .Op(500, 510, OpPhases.Fail, "n2")
            .Op(600, 700, OpPhases.Info, "n1")
            .Build(3000, 2000);

        var figures = Check(history).Figures;

        Assert.Equal((5, 3, 1, 1), (figures["invoked"], figures["ok"], figures["fail"], figures["info"]));
        Assert.Equal(0.6, figures["availability"], precision: 6);
    }

    [Fact]
    public void Given_a_leader_that_stays_claimed_but_commits_nothing_When_checked_Then_the_stall_is_measured()
    {
        // n1 leads throughout (no leaderless time), but from 400 ms its writes time out until 3400 ms.
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Write(200, 210, "n1", 1).Write(300, 310, "n1", 1)
            .Op(400, 1400, OpPhases.Info, "n1").Op(1400, 2400, OpPhases.Info, "n1", process: 1)
            .Op(2400, 3400, OpPhases.Info, "n1")
            .Write(3400, 3500, "n1", 1)
            .Build(4000, 2000);

        var result = Check(history);

        Assert.Equal(0, result.Figures["unavailableMs"], precision: 6);
        Assert.Equal(3100, result.Figures["longestWithoutAckMs"], precision: 6);
        Assert.Contains("longest with writes sent and none acknowledged 3100 ms", result.Summary);
    }

    [Fact]
    public void Given_writes_that_never_get_acknowledged_When_checked_Then_the_stall_runs_to_the_last_operation()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Write(200, 210, "n1", 1)
            .Op(300, 1300, OpPhases.Info, "n1")
            .Build(4000, 2000);

        Assert.Equal(1000, Check(history).Figures["longestWithoutAckMs"], precision: 6);
    }

    [Fact]
    public void Given_every_node_reporting_and_the_clients_operations_When_checked_Then_it_is_valid()
    {
        var history = new HistoryBuilder(clients: 1).Elected(100, "n1", 1).Write(200, 210, "n1", 1).Build(3000, 2000);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_clients_in_the_run_start_but_no_operation_recorded_When_checked_Then_it_is_unknown_and_says_so()
    {
        var history = new HistoryBuilder(clients: 3).Elected(100, "n1", 1).Build(3000, 2000);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith(
            "missing evidence: the run-start says 3 clients ran, but no operation was recorded",
            result.Summary);
    }

    [Fact]
    public void Given_no_client_count_in_the_run_start_and_no_operation_When_checked_Then_operations_are_not_demanded()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build(3000, 2000);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_a_run_start_and_a_run_end_and_nothing_between_When_checked_Then_it_is_unknown_not_a_measurement()
    {
        var result = Check(new HistoryBuilder().Build(3000, 2000));

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: no node ever reported a state", result.Summary);
    }

    [Fact]
    public void Given_not_leader_refusals_and_failures_When_checked_Then_they_are_counted_apart()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1)
            .Write(200, 210, "n1", 1)
            .Op(300, 310, OpPhases.Fail, "n2", error: OpErrors.NotLeader)
            .Op(400, 410, OpPhases.Fail, "n3",
                error: OpErrors.NotLeaderSaying("READONLY You can't write against a read only replica."))
            .Op(500, 510, OpPhases.Fail, "n4", error: "connection refused")
            .Op(600, 610, OpPhases.Fail, "n5", error: "not leading yet")
            .Op(700, 800, OpPhases.Info, "n1", error: OpErrors.NotLeader)
            .Build(3000, 2000);

        var figures = Check(history).Figures;

        // Only a fail whose error is "not leader" (or "not leader: " and the system's words) is a refusal;
        // an indeterminate op stays indeterminate whatever its text.
        Assert.Equal(
            (6, 1, 2, 2, 1),
            (figures["invoked"], figures["ok"], figures["refused"], figures["fail"], figures["info"]));
    }
}
