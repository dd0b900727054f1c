using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.Invitation;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

public sealed class InvitationTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static SimulatedCluster Settled(int seed)
    {
        var cluster = new SimulatedCluster("invitation", 5, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        return cluster;
    }

    /// <summary>
    /// The one leader among <paramref name="nodes"/>, after checking that all of them follow it in its group and term.
    /// </summary>
    private static NodeStatus SoleGroupOf(SimulatedCluster cluster, IEnumerable<string> nodes)
    {
        var statuses = nodes.Select(n => cluster.StatusOf(n)!).ToList();
        var leader = Assert.Single(statuses, s => s.Role == Role.Leader);
        Assert.All(
            statuses,
            s => Assert.Equal((leader.Group, leader.Leader, leader.Term), (s.Group, s.Leader, s.Term)));
        return leader;
    }

    /// <summary>Cuts a settled cluster two and three, with its leader on the side asked for.</summary>
    private static (string[] Small, string[] Large) CutTwoThree(SimulatedCluster cluster, bool leaderOnSmallSide)
    {
        var leader = NodeNames.Of(SoleGroupOf(cluster, cluster.Names).Leader!.Value);
        var others = cluster.Names.Where(n => n != leader).ToList();
        string[] small = leaderOnSmallSide ? [leader, others[0]] : [others[0], others[1]];
        string[] large = [.. cluster.Names.Except(small)];
        cluster.Partition(new Grudge { Components = [small, large] });
        return (small, large);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Given_a_healthy_cluster_When_it_settles_Then_it_is_one_group_with_one_leader_everyone_follows(int seed)
    {
        // "각 프로세스는 자신이 유일한 구성원인 그룹의 리더로 시작 ...
        // 초대를 받은 프로세스가 리더라면 두 그룹을 병합한다" (seed 004).
        var cluster = Settled(seed);

        SoleGroupOf(cluster, cluster.Names);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void Given_one_group_When_the_cluster_is_cut_two_and_three_Then_each_side_is_a_group_with_its_own_leader(
        int seed, bool leaderOnSmallSide)
    {
        // "이 알고리즘은 그룹 별로 리더를 선출하기 때문에 동시에 여러 리더가 존재할 수
        // 있다" (seed 004).
        var cluster = Settled(seed);

        var (small, large) = CutTwoThree(cluster, leaderOnSmallSide);
        cluster.RunFor(Settle);

        Assert.NotEqual(SoleGroupOf(cluster, small).Group, SoleGroupOf(cluster, large).Group);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void Given_groups_of_two_and_three_When_the_partition_heals_Then_they_merge_under_the_larger_groups_leader(
        int seed, bool leaderOnSmallSide)
    {
        // "그룹 병합시 필요한 메시지 수를 줄이려면 큰 그룹의 리더가 병합된 그룹의
        // 리더가 되어야 한다" (seed 004).
        var cluster = Settled(seed);
        var (_, large) = CutTwoThree(cluster, leaderOnSmallSide);
        cluster.RunFor(Settle);
        var largeGroup = SoleGroupOf(cluster, large);

        cluster.Heal();
        cluster.RunFor(Settle);

        var merged = SoleGroupOf(cluster, cluster.Names);
        Assert.Equal((largeGroup.Group, largeGroup.Leader), (merged.Group, merged.Leader));
    }

    [Fact]
    public void Given_two_groups_When_they_merge_Then_it_costs_one_accept_and_one_join_per_node_of_the_smaller_group()
    {
        var network = new InMemoryNetwork(5, seed: 1) { Cut = (a, b) => a <= 2 != b <= 2 };
        network.RunTicks(400);
        Assert.Equal([2, 3], network.GroupSizes);
        var (messagesBefore, mergesBefore) = (network.MergeMessagesSent, network.MergesLed);

        network.Cut = (_, _) => false;
        network.RunTicks(400);

        Assert.Equal([5], network.GroupSizes);
        Assert.Equal((1 + 2, 1), (network.MergeMessagesSent - messagesBefore, network.MergesLed - mergesBefore));
    }

    [Fact]
    public void Given_a_node_When_it_restarts_Then_it_founds_a_group_it_never_named_before()
    {
        // Its old members may still speak of its old group; a reused name would restart that group's term.
        var cluster = new SimulatedCluster("invitation", 5, seed: 4);
        var named = new HashSet<string>();
        cluster.StatusChanged += s => { if (s.Node == "n5") { named.Add(s.Status.Group); } };
        cluster.Start();
        cluster.RunFor(Settle);
        var before = named.ToList();

        cluster.Kill("n5");
        cluster.Restart("n5");

        var group = cluster.StatusOf("n5")!.Group;
        Assert.StartsWith("n5.", group);
        Assert.DoesNotContain(group, before);
    }

    [Fact]
    public void Given_a_partition_When_clients_write_to_both_group_leaders_Then_both_acknowledge()
    {
        // Correct by the algorithm's own claim (one leader per group), and a split brain for the cluster.
        var cluster = Settled(seed: 5);
        var (small, large) = CutTwoThree(cluster, leaderOnSmallSide: false);
        cluster.RunFor(Settle);
        var leaders = new[] { SoleGroupOf(cluster, small), SoleGroupOf(cluster, large) };
        var outcomes = new List<WriteOutcome>();

        foreach (var (leader, writeId) in leaders.Select((l, i) => (l, (long)i)))
        {
            cluster.Write(NodeNames.Of(leader.Leader!.Value), writeId, outcomes.Add);
        }
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(leaders.Select(l => WriteOutcome.Ok(l.Term, l.Group)), outcomes.OrderBy(o => o.Term));
    }

    [Fact]
    public void Given_the_same_seed_When_a_cluster_runs_twice_Then_it_announces_the_same_changes_at_the_same_times()
    {
        static List<string> Run(int seed)
        {
            var cluster = new SimulatedCluster("invitation", 5, seed);
            var seen = new List<string>();
            cluster.StatusChanged += s => seen.Add($"{cluster.NowNs} {s.Node} {s.Status}");
            cluster.Start();
            cluster.RunFor(Settle);
            cluster.Partition(Grudge.Bisect(cluster.Names));
            cluster.RunFor(Settle);
            cluster.Heal();
            cluster.RunFor(Settle);
            return seen;
        }

        Assert.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11), Run(12));
    }

    /// <summary>
    /// Invitation nodes wired together directly, as etcd's raft tests do: every message is delivered
    /// at once unless <see cref="Cut"/> drops it, so the merge counter can be read off each node.
    /// </summary>
    private sealed class InMemoryNetwork
    {
        private readonly List<InvitationNode> _nodes;

        public InMemoryNetwork(int count, int seed)
        {
            var members = Enumerable.Range(1, count).ToList();
            _nodes =
            [
                .. members.Select(id => new InvitationNode(
                    new ClusterConfig { Self = id, Members = members },
                    HardState.Empty,
                    new Random(seed * 1000 + id))),
            ];
        }

        /// <summary>Whether a message from the first node to the second is dropped.</summary>
        public Func<int, int, bool> Cut { get; set; } = (_, _) => false;

        public long MergeMessagesSent => _nodes.Sum(n => n.MergeMessagesSent);

        public long MergesLed => _nodes.Sum(n => n.MergesLed);

        public IReadOnlyList<int> GroupSizes =>
            [.. _nodes.GroupBy(n => n.Status.Group).Select(g => g.Count()).Order()];

        public void RunTicks(int ticks)
        {
            for (var i = 0; i < ticks; i++)
            {
                foreach (var node in _nodes)
                {
                    node.Tick();
                    Deliver(node);
                }
            }
        }

        private void Deliver(InvitationNode sender)
        {
            var inFlight = new Queue<Message>(sender.TakeReady().Messages);
            while (inFlight.TryDequeue(out var message))
            {
                if (Cut(message.From, message.To))
                {
                    continue;
                }
                var receiver = _nodes[message.To - 1];
                receiver.Step(message);
                foreach (var reply in receiver.TakeReady().Messages)
                {
                    inFlight.Enqueue(reply);
                }
            }
        }
    }
}
