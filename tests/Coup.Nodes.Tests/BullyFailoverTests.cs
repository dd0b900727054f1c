using static Coup.Nodes.Tests.Succession;

namespace Coup.Nodes.Tests;

/// <summary>
/// Who wins a Bully election after the leader dies: "the process with the highest number" among
/// those still alive (seed 004).
/// </summary>
public sealed class BullyFailoverTests
{
    public static TheoryData<int> Seeds => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_settled_cluster_When_its_leader_dies_Then_the_highest_live_id_leads(int seed)
    {
        var cluster = Settled("bully", seed);
        var term = cluster.StatusOf("n5")!.Term;

        var replacement = ReplaceLeader(cluster);

        Assert.Equal(("n5", "n4"), (replacement.OldLeader, replacement.NewLeader));
        Assert.Equal("n4", SoleLeader(cluster));
        Assert.True(cluster.StatusOf("n4")!.Term > term);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_the_two_highest_dying_in_turn_When_each_is_replaced_Then_the_highest_live_id_leads(int seed)
    {
        var cluster = Settled("bully", seed);

        var first = ReplaceLeader(cluster);
        var second = ReplaceLeader(cluster);

        Assert.Equal(["n4", "n3"], [first.NewLeader, second.NewLeader]);
        Assert.Equal("n3", SoleLeader(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_the_two_highest_dying_together_When_replaced_Then_the_third_highest_leads(int seed)
    {
        var cluster = Settled("bully", seed);

        var replacement = ReplaceLeader(cluster, "n5", "n4");

        Assert.Equal("n3", replacement.NewLeader);
        Assert.Equal("n3", SoleLeader(cluster));
    }
}
