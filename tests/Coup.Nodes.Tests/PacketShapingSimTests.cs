using Coup.Nodes.Packets;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

public sealed class PacketShapingSimTests
{
    private static IEnumerable<(string From, string To)> AllLinks(SimulatedCluster cluster) =>
        cluster.Names.SelectMany(from => cluster.Names.Where(to => to != from).Select(to => (from, to)));

    private static bool HasLeader(SimulatedCluster cluster) =>
        cluster.Names.Any(n => cluster.StatusOf(n)?.Role == Role.Leader);

    [Fact]
    public void Given_30_percent_loss_on_every_link_When_raft_runs_Then_about_30_percent_of_its_messages_are_lost()
    {
        var cluster = new SimulatedCluster("raft", 5, seed: 1);
        cluster.ShapePackets(new PacketShape { LossPercent = 30 }, AllLinks(cluster));

        cluster.Start();
        cluster.RunFor(TimeSpan.FromSeconds(20));

        Assert.Equal(cluster.MessagesSent, cluster.MessagesShaped);
        Assert.True(cluster.MessagesShaped > 4000, $"only {cluster.MessagesShaped} messages");
        Assert.InRange(cluster.MessagesLostToShaping / (double)cluster.MessagesShaped, 0.27, 0.33);
    }

    [Fact]
    public void Given_a_delay_longer_than_an_election_on_every_link_When_raft_starts_Then_no_leader_until_cleared()
    {
        var unshaped = new SimulatedCluster("raft", 3, seed: 2);
        var delayed = new SimulatedCluster("raft", 3, seed: 2);
        delayed.ShapePackets(new PacketShape { DelayMs = 1000 }, AllLinks(delayed));

        unshaped.Start();
        delayed.Start();
        unshaped.RunFor(TimeSpan.FromMilliseconds(2100));
        delayed.RunFor(TimeSpan.FromMilliseconds(2100));

        Assert.True(HasLeader(unshaped));
        Assert.False(HasLeader(delayed));
        delayed.ClearPackets();
        delayed.RunFor(TimeSpan.FromSeconds(5));
        Assert.Single(delayed.Names, n => delayed.StatusOf(n)?.Role == Role.Leader);
        Assert.Equal(0, delayed.MessagesLostToShaping);
    }

    [Fact]
    public void Given_shaping_on_some_links_When_the_same_seed_runs_twice_Then_every_status_change_is_the_same()
    {
        List<SimulatedStatus> Run()
        {
            var cluster = new SimulatedCluster("raft", 5, seed: 3);
            var seen = new List<SimulatedStatus>();
            cluster.StatusChanged += seen.Add;
            var shape = new PacketShape
            {
                LossPercent = 20,
                DelayMs = 100,
                JitterMs = 40,
                DuplicatePercent = 20,
                ReorderPercent = 20,
            };
            cluster.ShapePackets(shape, AllLinks(cluster).Where(l => l.From == "n1" || l.To == "n1"));
            cluster.Start();
            cluster.RunFor(TimeSpan.FromSeconds(10));
            return seen;
        }

        var first = Run();

        Assert.NotEmpty(first);
        Assert.Equal(first, Run());
    }
}
