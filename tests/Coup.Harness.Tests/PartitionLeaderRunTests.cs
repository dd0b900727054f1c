using Coup.Checkers;
using Coup.Harness.Cli;
using Coup.History;
using Coup.Nodes.Kafka;

namespace Coup.Harness.Tests;

/// <summary>Kafka-style partition leaders through the whole pipeline: checkers and writes per partition.</summary>
public sealed class PartitionLeaderRunTests
{
    private static Task<int> Coup(params string[] args) => CoupCli.InvokeAsync(args, CancellationToken.None);

    private static readonly string[] Groups =
        [KafkaNode.ControllerGroup, .. Enumerable.Range(0, KafkaNode.PartitionCount).Select(KafkaNode.GroupOf)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Given_kafka_under_cuts_kills_chases_When_simulated_Then_it_is_valid_and_partition_leaders_ack(
        int seed)
    {
        using var store = new TempStore();

        var exit = await Coup("run", "--runtime", "sim", "--algorithm", "kafka", "--nemesis", "partition,kill,chase",
            "--time-limit", "40", "--interval", "8", "--seed", $"{seed}", "--store", store.Root);

        store.AssertValid(exit);
        AssertWritesFollowTheirPartitionLeaders(RunHistory.Read(store.LatestFile("history.jsonl")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Given_kafka_unfenced_under_cuts_When_simulated_Then_writes_duel_but_no_epoch_has_two_leaders(
        int seed)
    {
        // The flaw is the leader's, not the controller's: epochs stay unique, so only the writes show it.
        using var store = new TempStore();

        var exit = await Coup("run", "--runtime", "sim", "--algorithm", "kafka-unfenced", "--nemesis", "partition",
            "--time-limit", "40", "--seed", $"{seed}", "--store", store.Root);

        Assert.Equal(1, exit);
        var results = ResultsFile.Read(store.LatestFile("results.json"));
        Assert.Equal(Verdict.Valid, results.Checks.Single(c => c.Checker == "election-safety").Verdict);
        var dueling = results.Checks.Single(c => c.Checker == "dueling-writes");
        Assert.Equal(Verdict.Invalid, dueling.Verdict);
        Assert.All(dueling.Anomalies, a => Assert.StartsWith("p", a.Group, StringComparison.Ordinal));
    }

    /// <summary>
    /// The run says its groups are not exclusive; every node reported in every group; and each
    /// acknowledged write was taken in its own partition by the node that claimed that partition's
    /// epoch, an epoch of a controller term some node reported.
    /// </summary>
    internal static void AssertWritesFollowTheirPartitionLeaders(RunHistory history)
    {
        Assert.False(history.Run.GroupsAreExclusive);
        Assert.All(Groups, g => Assert.Equal(
            history.Run.Nodes.Order(),
            history.States.Where(s => s.Group == g).Select(s => s.Node).Distinct().Order()));
        var claims = history.States.Where(s => s.IsLeader).Select(s => (s.Node, s.Group, s.Term)).ToHashSet();
        var acknowledged = history.Ops.Where(o => o.Phase == OpPhases.Ok).ToList();
        Assert.Equal(Groups.Skip(1), acknowledged.Select(o => o.Group!).Distinct().Order());
        Assert.All(acknowledged, o =>
        {
            Assert.Equal(KafkaNode.GroupOf(KafkaNode.PartitionOf(o.Value)), o.Group);
            Assert.Contains((o.Node, o.Group!, o.Term!.Value), claims);
            // Some node reported the controller term that issued the epoch (its controller's own claim may
            // predate the observer: in containers the first controller can step down before its stream connects).
            Assert.Contains(history.States, s => s.Group == KafkaNode.ControllerGroup
                && s.Term == o.Term / KafkaNode.EpochsPerTerm);
        });
    }
}
