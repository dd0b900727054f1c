using Coup.Harness.Cli;
using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// Where a client sends a write: the rule both runtimes call, and what it gives a run with no fault.
/// </summary>
public sealed class WriteRoutingTests
{
    private static readonly IReadOnlyList<string> Nodes = ["n1", "n2", "n3", "n4", "n5"];

    private static (string, NodeStatus) Word(string node, Role role, long term, string group = "default") =>
        (node, new NodeStatus
        {
            Role = role,
            Term = term,
            Leader = role == Role.Leader ? NodeNames.IdOf(node) : null,
            Group = group
        });

    /// <summary>Every node <see cref="WriteRouting.Choose"/> picks over many draws from one seeded source.</summary>
    private static HashSet<string> Picks(string group, IReadOnlyList<(string, NodeStatus)> words) =>
        [.. Enumerable.Range(0, 200).Select(_ => WriteRouting.Choose(group, words, Nodes, Random))];

    private static readonly Random Random = WriteRouting.ForProcess(seed: 7, process: 0);

    [Fact]
    public void Given_one_node_claims_the_group_When_a_write_is_routed_Then_it_always_goes_to_that_node()
    {
        var words = new[] { Word("n1", Role.Follower, 3), Word("n2", Role.Leader, 3), Word("n3", Role.Follower, 3) };

        Assert.Equal(["n2"], Picks("default", words));
    }

    [Fact]
    public void Given_a_stale_leader_beside_a_newer_term_When_writes_are_routed_Then_only_both_leaders_get_writes()
    {
        // An isolated old leader still says it leads term 3: clients whose metadata is older write to it.
        var words = new[] { Word("n1", Role.Leader, 3), Word("n4", Role.Leader, 5), Word("n5", Role.Candidate, 6) };

        Assert.Equal(["n1", "n4"], Picks("default", words).Order());
    }

    [Fact]
    public void Given_leaders_of_other_groups_When_a_write_to_a_partition_is_routed_Then_it_goes_to_its_leader()
    {
        var words = new[]
        {
            Word("n1", Role.Leader, 9, "controller"),
            Word("n2", Role.Leader, 4, "p0"),
            Word("n3", Role.Leader, 2, "p1")
        };

        Assert.Equal(["n3"], Picks("p1", words));
    }

    [Fact]
    public void Given_no_node_claims_the_group_When_writes_are_routed_Then_they_go_to_every_node_at_random()
    {
        var words = new[]
        {
            Word("n1", Role.Candidate, 2), Word("n2", Role.Follower, 1), Word("n3", Role.Leader, 1, "p0")
        };

        Assert.Equal(Nodes.ToHashSet(), Picks("default", words));
    }

    [Fact]
    public void Given_the_run_s_seed_When_a_process_draws_Then_it_draws_the_same_each_time_and_unlike_another_process()
    {
        static IEnumerable<long> Gaps(int process)
        {
            var random = WriteRouting.ForProcess(seed: 3, process);
            return [.. Enumerable.Range(0, 20).Select(_ => WriteRouting.GapNs(10, random))];
        }

        Assert.Equal(Gaps(0), Gaps(0));
        Assert.NotEqual(Gaps(0), Gaps(1));
        // About 1/rate: between half and one and a half times 100 ms.
        Assert.All(Gaps(2), gap => Assert.InRange(gap, 50_000_000, 150_000_000));
    }

    [Theory]
    [InlineData("raft", 1)]
    [InlineData("raft", 2)]
    [InlineData("zab", 1)]
    [InlineData("kafka", 1)]
    public async Task Given_no_fault_When_clients_follow_the_observed_leader_Then_writes_after_first_leaders_are_acked(
        string algorithm, int seed)
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(
            ["run", "--runtime", "sim", "--algorithm", algorithm, "--nemesis", "none", "--time-limit", "20",
                "--seed", $"{seed}", "--store", store.Root],
            CancellationToken.None);

        store.AssertValid(exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.Equal($"3 clients, 10 writes/s each, {WriteRouting.FollowsObservedLeader}", history.Run.Workload);
        var definition = Algorithms.Get(algorithm);
        var invokes = history.Ops.Where(o => o.Phase == OpPhases.Invoke).ToDictionary(o => (o.Process, o.Value));
        var completions = history.Ops.Where(o => o.Phase != OpPhases.Invoke).ToList();
        Assert.True(completions.Count > 100, $"only {completions.Count} writes completed");
        // Before a group has a leader, a client can only guess; after it, nothing but an acknowledgement is possible.
        Assert.All(completions.Where(o => o.Phase != OpPhases.Ok), o =>
        {
            var group = WriteRouting.GroupOf(definition, o.Value);
            var firstClaimNs = history.States.Where(s => s.IsLeader && s.Group == group).Min(s => s.TimeNs);
            Assert.True(OpErrors.IsNotLeader(o), $"write {o.Value} ended {o.Phase}: {o.Error}");
            Assert.True(invokes[(o.Process, o.Value)].TimeNs < firstClaimNs,
                $"write {o.Value} to {o.Node} was refused though {group} had a leader since {firstClaimNs} ns");
        });
    }
}
