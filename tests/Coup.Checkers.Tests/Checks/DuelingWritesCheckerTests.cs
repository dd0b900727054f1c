using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

public sealed class DuelingWritesCheckerTests
{
    private static CheckResult Check(RunHistory history) => new DuelingWritesChecker().Check(history);

    [Fact]
    public void Given_both_partition_sides_acking_writes_When_checked_Then_it_is_invalid_with_one_anomaly_for_both()
    {
        // Bully under a partition: n5 keeps leading its side in term 7 while n2 leads the other in term 9.
        var builder = new HistoryBuilder().Elected(100, "n5", 7);
        for (var ms = 1000; ms < 2000; ms += 100)
        {
            builder.Write(ms, ms + 10, "n2", 9, process: 0).Write(ms + 50, ms + 60, "n5", 7, process: 1);
        }

        var result = Check(builder.Build(3000, 2500));

        Assert.Equal(Verdict.Invalid, result.Verdict);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal("stale-write", anomaly.Kind);
        Assert.Equal(["n2", "n5"], anomaly.Nodes);
        Assert.Equal([9L, 7L], anomaly.Terms);
        Assert.Equal((HistoryBuilder.Ns(1000), HistoryBuilder.Ns(1960)), (anomaly.StartNs, anomaly.EndNs));
        Assert.Equal(1, result.Figures["violations"]);
        Assert.Equal(20, result.Figures["okWrites"]);
    }

    [Fact]
    public void Given_writes_acknowledged_by_two_nodes_in_one_term_When_checked_Then_they_are_dueling_writes()
    {
        var history = new HistoryBuilder()
            .Write(100, 110, "n1", 3)
            .Write(105, 120, "n2", 3, process: 1)
            .Build(1000, 900);

        var anomaly = Assert.Single(Check(history).Anomalies);

        Assert.Equal("dueling-writes", anomaly.Kind);
        Assert.Equal(["n1", "n2"], anomaly.Nodes);
        Assert.Equal((HistoryBuilder.Ns(100), HistoryBuilder.Ns(120)), (anomaly.StartNs, anomaly.EndNs));
    }

    [Fact]
    public void Given_a_handover_with_overlapping_writes_in_increasing_terms_When_checked_Then_it_is_valid()
    {
        // Raft may acknowledge an old-term write after the new leader's first write began, and even after it
        // completed,
        // as long as the old-term write was invoked before the new term acknowledged anything.
        var history = new HistoryBuilder()
            .Write(100, 400, "n1", 1)
            .Write(200, 300, "n2", 2, process: 1)
            .Write(250, 450, "n1", 1, process: 2)
            .Write(500, 510, "n2", 2)
            .Build(1000, 900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_a_deposed_leader_whose_writes_fail_When_checked_Then_it_is_valid()
    {
        var history = new HistoryBuilder()
            .Write(100, 110, "n2", 9)
            .Op(200, 210, OpPhases.Fail, "n5")
            .Op(300, 1800, OpPhases.Info, "n5")
            .Build(2000, 1900);

        Assert.Equal(Verdict.Valid, Check(history).Verdict);
    }

    [Fact]
    public void Given_more_pairs_of_leaders_than_the_cap_When_checked_Then_the_first_are_listed_and_all_are_counted()
    {
        var builder = new HistoryBuilder();
        for (var term = 1; term <= DuelingWritesChecker.AnomaliesMax + 10; term++)
        {
            builder
                .Write(term * 100, term * 100 + 10, "n1", term)
                .Write(term * 100, term * 100 + 20, "n2", term, process: 1);
        }

        var result = Check(builder.Build(10_000, 9000));

        Assert.Equal(DuelingWritesChecker.AnomaliesMax, result.Anomalies.Count);
        Assert.Equal(DuelingWritesChecker.AnomaliesMax + 10, result.Figures["violations"]);
        Assert.Equal(HistoryBuilder.Ns(100), result.Anomalies[0].StartNs);
    }

    [Fact]
    public void Given_writes_forwarded_by_two_members_to_one_leader_When_checked_Then_they_are_its_writes()
    {
        // etcd: n1 and n2 each answer a client, but both forwarded the write to the leader n3 of term 5.
        var history = new HistoryBuilder()
            .Write(100, 110, "n1", 5, acknowledgedBy: "n3")
            .Write(105, 120, "n2", 5, process: 1, acknowledgedBy: "n3")
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        Assert.Equal(2, result.Figures["okWrites"]);
    }

    [Fact]
    public void Given_two_leaders_behind_one_member_in_one_term_When_checked_Then_the_leaders_are_named()
    {
        var history = new HistoryBuilder()
            .Write(100, 110, "n1", 5, acknowledgedBy: "n3")
            .Write(105, 120, "n1", 5, process: 1, acknowledgedBy: "n4")
            .Build(1000, 900);

        var anomaly = Assert.Single(Check(history).Anomalies);

        Assert.Equal("dueling-writes", anomaly.Kind);
        Assert.Equal(["n3", "n4"], anomaly.Nodes);
        Assert.Equal([5L, 5L], anomaly.Terms);
    }

    [Fact]
    public void Given_a_write_whose_leader_was_unknown_When_checked_Then_it_is_left_out_of_the_comparison()
    {
        // Without "?" this write would be pinned on n2, beside n3 in the same term.
        var history = new HistoryBuilder()
            .Write(100, 110, "n1", 5, acknowledgedBy: "n3")
            .Write(105, 120, "n2", 5, process: 1, acknowledgedBy: ClientOp.UnknownLeader)
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Valid, result.Verdict);
        Assert.Equal((1, 1), (result.Figures["okWrites"], result.Figures["okWritesWithoutLeader"]));
    }

    [Fact]
    public void Given_only_writes_whose_leader_could_not_be_told_When_checked_Then_it_is_unknown()
    {
        var history = new HistoryBuilder()
            .Write(100, 110, "n1", 5, acknowledgedBy: ClientOp.UnknownLeader)
            .Write(105, 120, "n2", 5, process: 1, acknowledgedBy: ClientOp.UnknownLeader)
            .Build(1000, 900);

        var result = Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("missing evidence: none of the 2 acknowledged writes names its leader and term",
            result.Summary);
    }

    [Fact]
    public void Given_clients_in_the_run_start_but_no_operation_recorded_When_checked_Then_it_is_unknown_and_says_so()
    {
        var result = Check(new HistoryBuilder(clients: 2).Elected(100, "n1", 1).Build(1000, 900));

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith(
            "missing evidence: the run-start says 2 clients ran, but no operation was recorded",
            result.Summary);
    }
}
