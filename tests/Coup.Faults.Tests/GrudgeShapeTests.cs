using Coup.Faults;

namespace Coup.Faults.Tests;

/// <summary>Who reaches whom under each shape: a message from A reaches B iff B does not drop A.</summary>
public class GrudgeShapeTests
{
    private static readonly IReadOnlyList<string> Five = ["n1", "n2", "n3", "n4", "n5"];

    /// <summary>Every link that carries messages, as "from>to", sorted.</summary>
    private static IReadOnlyList<string> Links(Grudge grudge, IReadOnlyList<string> nodes) =>
        [.. from sender in nodes
            from receiver in nodes
            where sender != receiver && !grudge.DroppedBy(receiver).Contains(sender)
            select $"{sender}>{receiver}"];

    private static IReadOnlyList<string> Heard(Grudge grudge, string node, IReadOnlyList<string> nodes) =>
        [.. nodes.Where(n => !grudge.DroppedBy(node).Contains(n))];

    [Fact]
    public void Given_five_nodes_When_bisected_Then_the_first_two_and_the_last_three_reach_only_each_other()
    {
        var grudge = Grudge.Bisect(Five);

        Assert.Equal("n1,n2 | n3,n4,n5", grudge.ToString());
        Assert.Equal(["n1>n2", "n2>n1", "n3>n4", "n3>n5", "n4>n3", "n4>n5", "n5>n3", "n5>n4"], Links(grudge, Five));
        Assert.Equal(["n1", "n2"], grudge.Minority);
    }

    [Fact]
    public void Given_seed_7_When_random_halves_are_drawn_Then_they_are_the_halves_main_drew_for_it()
    {
        var grudge = Grudge.RandomHalves(Five, new Random(7));

        Assert.Equal("n4,n5 | n1,n3,n2", grudge.ToString());
        Assert.False(grudge.IsDirected);
    }

    [Fact]
    public void Given_a_side_of_two_When_isolated_Then_it_reaches_only_itself_and_is_the_minority()
    {
        var grudge = Grudge.Isolate(["n2", "n4"], Five);

        Assert.Equal("n2,n4 | n1,n3,n5", grudge.ToString());
        Assert.Equal(["n1", "n3", "n5"], grudge.DroppedBy("n2"));
        Assert.Equal(["n2", "n4"], grudge.DroppedBy("n5"));
        Assert.Equal(["n2", "n4"], grudge.Minority);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void Given_n_nodes_When_a_random_minority_is_isolated_Then_the_largest_minority_is_cut_off(
        int count, int cut)
    {
        var nodes = Enumerable.Range(1, count).Select(i => $"n{i}").ToList();

        var grudge = Grudge.IsolateMinority(nodes, new Random(3));

        Assert.Equal(cut, grudge.Minority.Count);
        Assert.All(grudge.Minority, n => Assert.Equal(nodes.Except(grudge.Minority), grudge.DroppedBy(n)));
    }

    [Fact]
    public void Given_five_nodes_When_bridged_Then_n3_reaches_everyone_and_the_halves_do_not_reach_each_other()
    {
        var grudge = Grudge.Bridge(Five);

        Assert.Equal("n1,n2,n3 | n3,n4,n5", grudge.ToString());
        Assert.Empty(grudge.DroppedBy("n3"));
        Assert.Equal(["n4", "n5"], grudge.DroppedBy("n1"));
        Assert.Equal(["n1", "n2"], grudge.DroppedBy("n5"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Given_n_nodes_When_cut_into_a_majorities_ring_Then_each_hears_a_majority_and_no_two_the_same(int count)
    {
        var nodes = Enumerable.Range(1, count).Select(i => $"n{i}").ToList();

        var grudge = Grudge.MajoritiesRing(nodes);

        var heard = nodes.Select(n => string.Join(",", Heard(grudge, n, nodes))).ToList();
        Assert.All(nodes, n => Assert.Equal(count / 2 + 1, Heard(grudge, n, nodes).Count));
        Assert.Equal(count, heard.Distinct().Count());
        Assert.Empty(grudge.Minority);
    }

    [Fact]
    public void Given_five_nodes_When_cut_into_a_majorities_ring_Then_each_hears_its_two_neighbours_both_ways()
    {
        var grudge = Grudge.MajoritiesRing(Five);

        Assert.Equal("n2 <-x n4,n5; n3 <-x n1,n5; n4 <-x n1,n2; n5 <-x n2,n3; n1 <-x n3,n4", grudge.ToString());
        Assert.All(Five, n => Assert.All(grudge.DroppedBy(n), s => Assert.Contains(n, grudge.DroppedBy(s))));
    }

    [Fact]
    public void Given_seven_nodes_When_cut_into_a_majorities_ring_Then_each_hears_two_behind_and_one_ahead()
    {
        var nodes = Enumerable.Range(1, 7).Select(i => $"n{i}").ToList();

        var grudge = Grudge.MajoritiesRing(nodes);

        Assert.Equal(["n1", "n2", "n3", "n4"], Heard(grudge, "n3", nodes));
        Assert.Equal(["n2", "n3", "n4", "n5"], Heard(grudge, "n4", nodes));
    }

    [Fact]
    public void Given_two_nodes_When_a_majorities_ring_is_asked_Then_it_is_refused()
    {
        var refusal = Assert.Throws<ArgumentException>(() => Grudge.MajoritiesRing(["n1", "n2"]));

        Assert.StartsWith("a majorities ring needs 3 nodes or more; got 2", refusal.Message);
    }

    [Fact]
    public void Given_n2_When_its_inbound_is_cut_Then_it_is_heard_by_all_and_hears_no_one()
    {
        var grudge = Grudge.OneWayInbound(["n2"], Five);

        Assert.Equal("n2 <-x n1,n3,n4,n5", grudge.ToString());
        Assert.Equal(["n2>n1", "n2>n3", "n2>n4", "n2>n5"], Links(grudge, Five).Where(l => l.Contains("n2")));
        Assert.Equal(["n2"], grudge.Minority);
        Assert.Equal(Five, grudge.Nodes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_n2_When_its_outbound_is_cut_Then_it_hears_all_and_is_heard_by_no_one()
    {
        var grudge = Grudge.OneWayOutbound(["n2"], Five);

        Assert.Equal("n1 <-x n2; n3 <-x n2; n4 <-x n2; n5 <-x n2", grudge.ToString());
        Assert.Equal(["n1>n2", "n3>n2", "n4>n2", "n5>n2"], Links(grudge, Five).Where(l => l.Contains("n2")));
        Assert.Equal(["n2"], grudge.Minority);
    }
}
