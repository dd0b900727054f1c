using Coup.Faults;

namespace Coup.Faults.Tests;

public class PartitionSpecTests
{
    private static readonly IReadOnlyList<string> Five = ["n1", "n2", "n3", "n4", "n5"];

    private static PartitionSpec Parsed(string text)
    {
        var spec = PartitionSpec.Parse(text, out var problem);
        Assert.Null(problem);
        return spec!;
    }

    private static string Refusal(string text)
    {
        Assert.Null(PartitionSpec.Parse(text, out var problem));
        return problem!;
    }

    [Theory]
    [InlineData("partition-halves", "partition-halves")]
    [InlineData("partition-isolate", "partition-isolate:leader")]
    [InlineData("partition-isolate:one", "partition-isolate:one")]
    [InlineData("partition-isolate:minority", "partition-isolate:minority")]
    [InlineData("partition-isolate:majority", "partition-isolate:majority")]
    [InlineData("partition-one-way-in", "partition-one-way-in:leader")]
    [InlineData("partition-one-way-in:n1+n3", "partition-one-way-in:n1+n3")]
    [InlineData("partition-one-way-out:n2", "partition-one-way-out:n2")]
    [InlineData("partition-bridge", "partition-bridge")]
    [InlineData("partition-ring", "partition-ring")]
    [InlineData("partition-minority", "partition-minority")]
    public void Given_a_known_spec_When_parsed_Then_it_reads_back_with_its_target(string text, string expected) =>
        Assert.Equal(expected, Parsed(text).ToString());

    [Fact]
    public void Given_a_listed_target_When_parsed_Then_its_nodes_are_kept_in_order()
    {
        var spec = Parsed("partition-one-way-in:n3+n1");

        Assert.Equal(PartitionShape.OneWayIn, spec.Shape);
        Assert.Equal(["n3", "n1"], spec.Target!.Listed);
    }

    [Fact]
    public void Given_all_When_a_partition_targets_it_Then_it_is_refused_as_having_nothing_to_cut_from() =>
        Assert.Equal("partition-isolate:all: a partition cannot cut off all nodes, nothing would be left to cut " +
            "them from; use minority, majority, one, leader or a list", Refusal("partition-isolate:all"));

    [Fact]
    public void Given_an_unknown_shape_When_parsed_Then_the_refusal_lists_the_shapes() =>
        Assert.Equal("unknown partition 'partition-star'; use one of partition-halves, partition-isolate, " +
            "partition-one-way-in, partition-one-way-out, partition-bridge, partition-ring, partition-minority " +
            "(isolate and one-way-in/out take :TARGET, one, leader, minority, majority, all, or nodes joined by + " +
            "(n1+n3))", Refusal("partition-star:one"));

    [Theory]
    [InlineData("partition-isolate:boss", "partition-isolate: unknown target 'boss'; use one, leader")]
    [InlineData("partition-isolate:n1+x2", "partition-isolate: unknown target 'n1+x2' ('x2' is not a node name")]
    [InlineData("partition-isolate:n01", "partition-isolate: unknown target 'n01'; use")]
    [InlineData("partition-isolate:", "partition-isolate: unknown target ''; use")]
    [InlineData("partition-one-way-in:n1+n1", "partition-one-way-in: target 'n1+n1' names a node twice")]
    [InlineData("partition-ring:leader", "partition-ring takes no target ('partition-ring:leader'); only " +
        "partition-isolate, partition-one-way-in, partition-one-way-out do")]
    public void Given_a_bad_target_When_parsed_Then_it_is_refused_in_one_line(string text, string start)
    {
        var problem = Refusal(text);

        Assert.StartsWith(start, problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("partition-one-way-in", 5, true)]
    [InlineData("partition-one-way-out:n1", 3, true)]
    [InlineData("partition-ring", 3, true)]
    [InlineData("partition-ring", 4, false)]
    [InlineData("partition-ring", 5, false)]
    [InlineData("partition-ring", 7, true)]
    [InlineData("partition-bridge", 5, false)]
    [InlineData("partition-isolate", 5, false)]
    public void Given_a_spec_When_asked_whether_it_cuts_one_way_Then_it_agrees_with_the_grudge_it_cuts(
        string text, int count, bool oneWay)
    {
        var nodes = Enumerable.Range(1, count).Select(i => $"n{i}").ToList();
        var spec = Parsed(text);

        var (grudge, _) = spec.Cut(nodes, "n1", new Random(4));

        var cutOneWay = nodes.Any(n => grudge.DroppedBy(n).Any(s => !grudge.DroppedBy(s).Contains(n)));
        Assert.Equal((oneWay, oneWay), (spec.CutsOneWay(count), cutOneWay));
    }

    [Fact]
    public void Given_isolate_leader_When_a_leader_is_known_Then_the_leader_is_cut_off()
    {
        var (grudge, detail) = Parsed("partition-isolate").Cut(Five, "n4", new Random(1));

        Assert.Equal("n4 | n1,n2,n3,n5", grudge.ToString());
        Assert.Equal("isolate leader n4", detail);
    }

    [Fact]
    public void Given_a_leader_target_When_no_leader_is_known_Then_a_seeded_random_node_is_cut_off()
    {
        var first = Parsed("partition-one-way-in").Cut(Five, null, new Random(5));
        var again = Parsed("partition-one-way-in").Cut(Five, null, new Random(5));

        Assert.Equal(first.Grudge.ToString(), again.Grudge.ToString());
        Assert.Single(first.Grudge.Minority);
        Assert.EndsWith("(no leader known)", first.Detail);
    }

    [Fact]
    public void Given_one_way_out_of_a_listed_pair_When_cut_Then_the_other_three_drop_them()
    {
        var (grudge, detail) = Parsed("partition-one-way-out:n1+n3").Cut(Five, "n2", new Random(1));

        Assert.Equal("n2 <-x n1,n3; n4 <-x n1,n3; n5 <-x n1,n3", grudge.ToString());
        Assert.Equal("one-way outbound from n1,n3", detail);
    }

    [Fact]
    public void Given_a_majority_target_When_isolated_Then_the_rest_is_the_minority()
    {
        var (grudge, _) = Parsed("partition-isolate:majority").Cut(Five, null, new Random(2));

        Assert.Equal(3, grudge.Components[0].Count);
        Assert.Equal(grudge.Components[1].Order(StringComparer.Ordinal), grudge.Minority);
    }

    [Fact]
    public void Given_a_listed_target_naming_a_stranger_When_cut_Then_it_is_refused()
    {
        var refusal = Assert.Throws<ArgumentException>(() =>
            Parsed("partition-isolate:n1+n9").Cut(Five, null, new Random(1)));

        Assert.Equal("target n1+n9: n9 is not one of the run's nodes (n1, n2, n3, n4, n5)", refusal.Message);
    }

    [Fact]
    public void Given_a_list_of_every_node_When_cut_Then_it_is_refused()
    {
        var refusal = Assert.Throws<ArgumentException>(() =>
            Parsed("partition-isolate:n1+n2+n3").Cut(["n1", "n2", "n3"], null, new Random(1)));

        Assert.StartsWith("partition-isolate:n1+n2+n3: the target is every node", refusal.Message);
    }

    [Fact]
    public void Given_halves_When_cut_Then_they_are_the_random_halves_of_the_same_seed()
    {
        var (grudge, detail) = Parsed("partition-halves").Cut(Five, "n1", new Random(7));

        Assert.Equal(Grudge.RandomHalves(Five, new Random(7)).ToString(), grudge.ToString());
        Assert.Equal("random halves", detail);
    }
}
