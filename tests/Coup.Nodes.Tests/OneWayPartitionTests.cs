using Coup.Faults;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// The simulator drops a message from A to B iff B's grudge drops A: a one-way cut silences one
/// direction of each link only. Raft shows which: heartbeats carry the leader's word out, the
/// followers' acknowledgements carry it back.
/// </summary>
public sealed class OneWayPartitionTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static (SimulatedCluster Cluster, string Leader, long Term) Settled(int seed)
    {
        var cluster = new SimulatedCluster("raft", 3, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = Assert.Single(cluster.Names, n => cluster.StatusOf(n)?.Role == Role.Leader);
        return (cluster, leader, cluster.StatusOf(leader)!.Term);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Given_the_leaders_inbound_cut_When_time_passes_Then_it_is_still_followed_but_commits_nothing(int seed)
    {
        var (cluster, leader, term) = Settled(seed);
        WriteOutcome? outcome = null;

        cluster.Partition(Grudge.OneWayInbound([leader], cluster.Names));
        cluster.Write(leader, 1, o => outcome = o);
        cluster.RunFor(TimeSpan.FromMilliseconds(WriteContract.TimeoutMs + 1000));

        Assert.All(cluster.Names, n => Assert.Equal((NodeNames.IdOf(leader), term),
            (cluster.StatusOf(n)!.Leader, cluster.StatusOf(n)!.Term)));
        Assert.Equal("info", outcome?.Phase);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Given_the_leaders_outbound_cut_When_time_passes_Then_the_rest_elect_another_and_it_hears_it(int seed)
    {
        var (cluster, leader, term) = Settled(seed);

        cluster.Partition(Grudge.OneWayOutbound([leader], cluster.Names));
        cluster.RunFor(Settle);

        var successor = Assert.Single(cluster.Names, n => cluster.StatusOf(n)?.Role == Role.Leader);
        Assert.NotEqual(leader, successor);
        Assert.True(cluster.StatusOf(leader)!.Term > term, "the cut-off leader heard of the newer term");
    }
}
