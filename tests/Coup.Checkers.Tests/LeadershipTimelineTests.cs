using Coup.History;

namespace Coup.Checkers.Tests;

public sealed class LeadershipTimelineTests
{
    private static LeadershipInstant Last(RunHistory history) => LeadershipTimeline.Replay(history, "default").Last();

    [Fact]
    public void Given_a_claim_reported_by_fewer_than_a_quorum_When_replayed_Then_there_is_no_majority_leader()
    {
        var history = new HistoryBuilder().Leader(100, "n1", 1).State(110, "n2", Roles.Follower, 1, "n1").Build();

        Assert.Null(Last(history).MajorityLeader);
    }

    [Fact]
    public void Given_a_claim_reported_by_a_quorum_including_the_leader_When_replayed_Then_it_is_the_majority_leader()
    {
        var history = new HistoryBuilder()
            .Leader(100, "n1", 1)
            .State(110, "n2", Roles.Follower, 1, "n1")
            .State(120, "n3", Roles.Follower, 1, "n1")
            .Build();

        Assert.Equal("n1", Last(history).MajorityLeader?.Node);
    }

    [Fact]
    public void Given_followers_of_an_older_term_When_replayed_Then_they_do_not_count_for_the_leader()
    {
        var history = new HistoryBuilder()
            .Leader(100, "n1", 2)
            .State(110, "n2", Roles.Follower, 1, "n1")
            .State(120, "n3", Roles.Follower, 1, "n1")
            .Build();

        Assert.Null(Last(history).MajorityLeader);
    }

    [Fact]
    public void Given_a_leader_state_without_a_leader_field_When_replayed_Then_the_leader_still_counts_itself()
    {
        var history = new HistoryBuilder()
            .State(100, "n1", Roles.Leader, 1)
            .State(110, "n2", Roles.Follower, 1, "n1")
            .State(120, "n3", Roles.Follower, 1, "n1")
            .Build();

        Assert.Equal("n1", Last(history).MajorityLeader?.Node);
    }

    [Fact]
    public void Given_a_killed_leader_When_replayed_Then_its_claim_ends_until_it_reports_again()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(500, "start", FaultKinds.Kill, "n1").Build();

        var last = Last(history);

        Assert.Equal(HistoryBuilder.Ns(500), last.TimeNs);
        Assert.Empty(last.Claims);
        Assert.Null(last.MajorityLeader);
    }

    [Fact]
    public void Given_a_paused_leader_When_replayed_Then_it_still_claims()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Fault(500, "start", FaultKinds.Pause, "n1").Build();

        Assert.Equal("n1", Assert.Single(Last(history).Claims).Node);
    }

    [Fact]
    public void Given_events_stamped_with_the_same_time_When_replayed_Then_they_make_one_instant()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Elected(200, "n2", 2).Build();

        Assert.Equal(
            [HistoryBuilder.Ns(100), HistoryBuilder.Ns(200)],
            LeadershipTimeline.Replay(history, "default").Select(i => i.TimeNs));
    }

    [Fact]
    public void Given_states_of_several_groups_When_listed_Then_each_group_appears_once_in_order_of_appearance()
    {
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1, group: "p1")
            .Elected(100, "n2", 1, group: "p0")
            .Elected(200, "n3", 2, group: "p1")
            .Build();

        Assert.Equal(["p1", "p0"], LeadershipTimeline.Groups(history));
    }

    [Fact]
    public void Given_a_leader_that_moves_to_another_group_When_replayed_Then_it_no_longer_claims_its_old_group()
    {
        // Invitation: n1's group g1 is absorbed by n2's g2; n1 now follows n2 in g2.
        var history = new HistoryBuilder()
            .State(100, "n1", Roles.Leader, 1, "n1", group: "g1")
            .State(500, "n1", Roles.Follower, 3, "n2", group: "g2")
            .Build();

        Assert.Empty(LeadershipTimeline.Replay(history, "g1").Last().Claims);
    }

    [Fact]
    public void Given_a_group_absorbed_by_a_merge_When_liveness_is_checked_Then_only_the_survivor_needs_a_leader()
    {
        var history = new HistoryBuilder(nodes: 3)
            .Elected(100, "n1", 1, followers: [], group: "g1")
            .Elected(100, "n2", 1, followers: ["n3"], group: "g2")
            .Elected(2000, "n2", 2, followers: ["n1", "n3"], group: "g2")
            .Build(5000, 1000);

        Assert.Equal(Verdict.Valid, new Coup.Checkers.Checks.LivenessChecker().Check(history).Verdict);
    }

    /// <summary>
    /// n1 leads p0 and n2 leads p1, every other broker following each: what a Kafka-style run records.
    /// </summary>
    private static HistoryBuilder TwoPartitions(bool exclusiveGroups) =>
        new HistoryBuilder(exclusiveGroups: exclusiveGroups)
            .Elected(100, "n1", 1_000_001, group: "p0")
            .Elected(100, "n2", 1_000_002, group: "p1");

    [Fact]
    public void Given_brokers_speaking_for_many_partitions_at_once_When_replayed_Then_each_keeps_its_majority_leader()
    {
        var history = TwoPartitions(exclusiveGroups: false).Build();

        Assert.Equal("n1", LeadershipTimeline.Replay(history, "p0").Last().MajorityLeader?.Node);
        Assert.Equal("n2", LeadershipTimeline.Replay(history, "p1").Last().MajorityLeader?.Node);
    }

    [Fact]
    public void Given_the_same_states_with_exclusive_groups_When_replayed_Then_a_node_word_in_p1_ends_its_word_in_p0()
    {
        var history = TwoPartitions(exclusiveGroups: true).Build();

        Assert.Null(LeadershipTimeline.Replay(history, "p0").Last().MajorityLeader);
    }

    [Fact]
    public void Given_brokers_with_one_partition_leaderless_at_the_end_When_liveness_is_checked_Then_it_is_named()
    {
        var history = TwoPartitions(exclusiveGroups: false)
            .State(2000, "n2", Roles.Follower, 1_000_002, group: "p1")
            .Build(5000, 1000);

        var result = new Coup.Checkers.Checks.LivenessChecker().Check(history);

        Assert.Equal(Verdict.Invalid, result.Verdict);
        Assert.Equal(["p1"], result.Anomalies.Select(a => a.Group));
    }
}
