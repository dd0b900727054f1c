using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.Raft;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

public sealed class RaftOptionsTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static string SoleLeader(SimulatedCluster cluster) =>
        Assert.Single(cluster.Names, n => cluster.StatusOf(n)?.Role == Role.Leader);

    /// <summary>What happened around a follower cut off for two seconds and then let back in.</summary>
    private sealed record Rejoin(string Leader, long Term, long HighestTermAfter, bool LeaderSteppedDown);

    private static Rejoin IsolateAFollowerThenHeal(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = SoleLeader(cluster);
        var term = cluster.StatusOf(leader)!.Term;
        var follower = cluster.Names.First(n => n != leader);
        var steppedDown = false;
        cluster.StatusChanged += s => steppedDown |= s.Node == leader && s.Status.Role != Role.Leader;

        cluster.Partition(Grudge.Isolate(follower, cluster.Names));
        cluster.RunFor(TimeSpan.FromSeconds(2));
        cluster.Heal();
        cluster.RunFor(Settle);

        return new Rejoin(leader, term, cluster.Names.Max(n => cluster.StatusOf(n)!.Term), steppedDown);
    }

    [Theory]
    [InlineData("raft-prevote", 1)]
    [InlineData("raft-prevote", 2)]
    [InlineData("raft-prevote-checkquorum", 1)]
    [InlineData("raft-checkquorum", 1)]
    public void Given_a_raft_variant_When_it_settles_Then_exactly_one_node_leads_and_all_follow_it(
        string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);

        cluster.Start();
        cluster.RunFor(Settle);

        var leader = SoleLeader(cluster);
        var term = cluster.StatusOf(leader)!.Term;
        Assert.All(cluster.Names, n => Assert.Equal(
            (NodeNames.IdOf(leader), term),
            (cluster.StatusOf(n)!.Leader, cluster.StatusOf(n)!.Term)));
    }

    [Theory]
    [InlineData("raft-prevote", 1)]
    [InlineData("raft-prevote", 2)]
    [InlineData("raft-prevote-checkquorum", 1)]
    [InlineData("raft-prevote-checkquorum", 2)]
    public void Given_pre_vote_When_an_isolated_follower_rejoins_Then_the_term_and_the_leader_stay(
        string algorithm, int seed)
    {
        // Pre-vote "prevents disruption when a node that has been partitioned away rejoins the
        // cluster" (etcd raft, Config.PreVote; thesis, section 9.6).
        var rejoin = IsolateAFollowerThenHeal(algorithm, seed);

        Assert.Equal(rejoin.Term, rejoin.HighestTermAfter);
        Assert.False(rejoin.LeaderSteppedDown);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Given_plain_raft_When_an_isolated_follower_rejoins_Then_its_higher_term_deposes_the_leader(int seed)
    {
        // The disruption pre-vote removes: the cut-off follower kept campaigning, and on its return
        // "if a server's current term is smaller than the other's, it updates its current term" (section 5.1).
        var rejoin = IsolateAFollowerThenHeal("raft", seed);

        Assert.True(rejoin.HighestTermAfter > rejoin.Term);
        Assert.True(rejoin.LeaderSteppedDown);
    }

    /// <summary>How long an isolated leader kept claiming, or null if it never stopped.</summary>
    private static TimeSpan? IsolateTheLeader(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = SoleLeader(cluster);
        long? stepDownNs = null;
        cluster.StatusChanged += s =>
        {
            if (s.Node == leader && s.Status.Role != Role.Leader)
            {
                stepDownNs ??= cluster.NowNs;
            }
        };
        var isolatedNs = cluster.NowNs;

        cluster.Partition(Grudge.Isolate(leader, cluster.Names));
        cluster.RunFor(Settle);

        return stepDownNs is { } ns ? TimeSpan.FromTicks((ns - isolatedNs) / 100) : null;
    }

    [Theory]
    [InlineData("raft-checkquorum", 1)]
    [InlineData("raft-checkquorum", 2)]
    [InlineData("raft-prevote-checkquorum", 1)]
    public void Given_check_quorum_When_the_leader_is_cut_off_Then_it_steps_down_within_an_election_timeout(
        string algorithm, int seed)
    {
        // "Leader steps down when quorum is not active for an electionTimeout" (etcd raft, Config.CheckQuorum).
        var defaults = new ClusterConfig { Self = 0, Members = [] };

        var held = IsolateTheLeader(algorithm, seed);

        Assert.NotNull(held);
        Assert.InRange(held.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(defaults.ElectionTimeoutMsMax));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Given_plain_raft_When_the_leader_is_cut_off_Then_it_keeps_claiming_until_healed(int seed)
    {
        Assert.Null(IsolateTheLeader("raft", seed));
    }

    [Fact]
    public void Given_check_quorum_When_a_follower_hearing_a_leader_gets_a_higher_term_vote_request_Then_it_drops_it()
    {
        // "If a server receives a RequestVote request within the minimum election timeout of hearing
        // from a current leader, it does not update its term or grant its vote" (thesis, section 4.2.3).
        var node = new RaftNode(
            new ClusterConfig { Self = 1, Members = [1, 2, 3] },
            new HardState { Term = 1 },
            new Random(1),
            new RaftOptions { CheckQuorum = true });
        node.Step(new Heartbeat { From = 2, To = 1, Term = 1, Sequence = 1 });
        node.TakeReady();

        node.Step(new RequestVote { From = 3, To = 1, Term = 5 });

        Assert.Empty(node.TakeReady().Messages);
        Assert.Equal(1, node.Status.Term);
    }

    [Fact]
    public void Given_plain_raft_When_a_follower_hearing_a_leader_gets_a_higher_term_vote_request_Then_it_grants_it()
    {
        var node = new RaftNode(
            new ClusterConfig { Self = 1, Members = [1, 2, 3] }, new HardState { Term = 1 }, new Random(1));
        node.Step(new Heartbeat { From = 2, To = 1, Term = 1, Sequence = 1 });
        node.TakeReady();

        node.Step(new RequestVote { From = 3, To = 1, Term = 5 });

        Assert.Equal(
            new VoteResponse { From = 1, To = 3, Term = 5, Granted = true },
            Assert.Single(node.TakeReady().Messages));
    }
}
