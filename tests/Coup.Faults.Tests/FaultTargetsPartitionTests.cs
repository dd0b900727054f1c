using Coup.Faults;

namespace Coup.Faults.Tests;

public class FaultTargetsPartitionTests
{
    private static readonly IReadOnlyList<string> Five = ["n1", "n2", "n3", "n4", "n5"];

    private static PlannedFault Partition(TargetChoice target, string? spec = null) => new()
    {
        StartS = 1,
        HoldS = 1,
        Kind = FaultKind.Partition,
        Target = target,
        ChoiceSeed = 11,
        Partition = spec is null ? null : PartitionSpec.Parse(spec, out _),
    };

    [Fact]
    public void Given_a_one_way_spec_When_resolved_with_a_leader_Then_the_leader_is_cut_one_way_and_is_the_target()
    {
        var fault = Partition(TargetChoice.RandomNode, "partition-one-way-in");

        var part = Assert.Single(FaultTargets.Resolve(fault, Five, "n3"));

        Assert.Equal(FaultKind.Partition, part.Kind);
        Assert.Equal(["n3"], part.Targets);
        Assert.Equal("one-way inbound to leader n3: n3 <-x n1,n2,n4,n5", part.Detail);
        Assert.True(part.Grudge!.IsDirected);
    }

    [Fact]
    public void Given_no_spec_When_an_isolate_leader_partition_is_resolved_Then_it_is_the_cut_it_always_was()
    {
        var part = Assert.Single(FaultTargets.Resolve(Partition(TargetChoice.IsolateLeader), Five, "n2"));

        Assert.Equal("isolate leader n2: n2 | n1,n3,n4,n5", part.Detail);
        Assert.Equal(["n2"], part.Targets);
    }

    [Fact]
    public void Given_no_spec_When_random_halves_are_resolved_Then_the_seed_draws_the_halves_it_always_drew()
    {
        var part = Assert.Single(FaultTargets.Resolve(Partition(TargetChoice.RandomHalves), Five, "n2"));

        Assert.Equal("random halves: n1,n5 | n4,n2,n3", part.Detail);
    }
}
