using Coup.Faults;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

public sealed class SimulatedElectionTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static List<string> Leaders(SimulatedCluster cluster) =>
        [.. cluster.Names.Where(n => cluster.StatusOf(n)?.Role == Role.Leader)];

    [Theory]
    [InlineData("raft", 1)]
    [InlineData("raft", 2)]
    [InlineData("raft", 3)]
    [InlineData("bully", 1)]
    [InlineData("bully", 2)]
    [InlineData("next-in-line", 1)]
    [InlineData("next-in-line", 2)]
    [InlineData("candidate-ordinary", 1)]
    [InlineData("candidate-ordinary", 2)]
    [InlineData("ring", 1)]
    [InlineData("ring", 2)]
    public void Given_a_healthy_cluster_When_it_settles_Then_exactly_one_node_leads_and_all_follow_it(
        string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);

        cluster.Start();
        cluster.RunFor(Settle);

        var leader = Assert.Single(Leaders(cluster));
        var term = cluster.StatusOf(leader)!.Term;
        Assert.All(cluster.Names, n => Assert.Equal(
            (NodeNames.IdOf(leader), term),
            (cluster.StatusOf(n)!.Leader, cluster.StatusOf(n)!.Term)));
    }

    [Fact]
    public void Given_a_bully_cluster_When_it_settles_Then_the_highest_rank_leads()
    {
        // "The process with the highest number becomes the coordinator" (seed 004).
        var cluster = new SimulatedCluster("bully", 5, seed: 7);

        cluster.Start();
        cluster.RunFor(Settle);

        Assert.Equal(["n5"], Leaders(cluster));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Given_a_raft_leader_When_it_crashes_Then_another_node_leads_in_a_higher_term(int seed)
    {
        var cluster = new SimulatedCluster("raft", 5, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        var oldLeader = Assert.Single(Leaders(cluster));
        var oldTerm = cluster.StatusOf(oldLeader)!.Term;

        cluster.Kill(oldLeader);
        cluster.RunFor(Settle);

        var newLeader = Assert.Single(Leaders(cluster));
        Assert.NotEqual(oldLeader, newLeader);
        Assert.True(cluster.StatusOf(newLeader)!.Term > oldTerm);
    }

    [Fact]
    public void Given_a_raft_node_that_voted_When_it_restarts_Then_it_keeps_its_term_and_vote()
    {
        // "Updated on stable storage before responding to RPCs" (Raft, Figure 2).
        var cluster = new SimulatedCluster("raft", 3, seed: 4);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = Assert.Single(Leaders(cluster));
        var term = cluster.StatusOf(leader)!.Term;
        var voter = cluster.Names.First(n => n != leader && cluster.PersistedOf(n).VotedFor == NodeNames.IdOf(leader));
        Assert.Equal(term, cluster.PersistedOf(voter).Term);

        cluster.Kill(voter);
        cluster.Restart(voter);

        Assert.Equal(term, cluster.StatusOf(voter)!.Term);
        Assert.Equal(new HardState { Term = term, VotedFor = NodeNames.IdOf(leader) }, cluster.PersistedOf(voter));
    }

    [Fact]
    public void Given_raft_forgets_vote_When_a_node_votes_Then_only_its_term_reaches_stable_storage()
    {
        // The broken variant differs from Raft in this alone, which is what the test above tells apart.
        var cluster = new SimulatedCluster("raft-forgets-vote", 3, seed: 4);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = Assert.Single(Leaders(cluster));
        var term = cluster.StatusOf(leader)!.Term;

        Assert.All(cluster.Names, n => Assert.Equal(new HardState { Term = term }, cluster.PersistedOf(n)));
    }

    [Fact]
    public void Given_a_bully_cluster_When_it_is_cut_in_two_Then_each_side_elects_its_own_leader()
    {
        // Seed 004: without a majority rule each side of a partition elects a coordinator (split brain).
        var cluster = new SimulatedCluster("bully", 5, seed: 3);
        cluster.Start();
        cluster.RunFor(Settle);

        cluster.Partition(Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);

        Assert.Equal(["n2", "n5"], Leaders(cluster));
    }

    [Fact]
    public void Given_a_raft_cluster_When_it_is_cut_in_two_Then_only_the_majority_side_has_a_current_leader()
    {
        var cluster = new SimulatedCluster("raft", 5, seed: 3);
        cluster.Start();
        cluster.RunFor(Settle);

        cluster.Partition(Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);

        var majority = new[] { "n3", "n4", "n5" };
        var leaders = Leaders(cluster);
        var current = leaders.MaxBy(n => cluster.StatusOf(n)!.Term)!;
        Assert.Contains(current, majority);
        Assert.All(
            leaders.Where(n => n != current),
            stale => Assert.True(cluster.StatusOf(stale)!.Term < cluster.StatusOf(current)!.Term));
    }

    [Fact]
    public void Given_a_raft_leader_When_a_client_writes_Then_it_is_acknowledged_in_the_leaders_term()
    {
        var cluster = new SimulatedCluster("raft", 5, seed: 5);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = Assert.Single(Leaders(cluster));
        WriteOutcome? outcome = null;

        cluster.Write(leader, 1, o => outcome = o);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(WriteOutcome.Ok(cluster.StatusOf(leader)!.Term), outcome);
    }

    [Fact]
    public void Given_an_isolated_raft_leader_When_a_client_writes_to_it_Then_the_write_is_never_acknowledged()
    {
        var cluster = new SimulatedCluster("raft", 5, seed: 6);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = Assert.Single(Leaders(cluster));
        cluster.Partition(Grudge.Isolate(leader, cluster.Names));
        WriteOutcome? outcome = null;

        cluster.Write(leader, 1, o => outcome = o);
        cluster.RunFor(Settle);

        Assert.NotNull(outcome);
        Assert.NotEqual("ok", outcome.Phase);
    }

    [Fact]
    public void Given_the_same_seed_When_a_cluster_runs_twice_Then_it_announces_the_same_changes_at_the_same_times()
    {
        static List<string> Run(int seed)
        {
            var cluster = new SimulatedCluster("raft", 5, seed);
            var seen = new List<string>();
            cluster.StatusChanged += s => seen.Add($"{cluster.NowNs} {s.Node} {s.Status}");
            cluster.Start();
            cluster.RunFor(Settle);
            cluster.Kill("n1");
            cluster.RunFor(Settle);
            return seen;
        }

        Assert.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11), Run(12));
    }
}
