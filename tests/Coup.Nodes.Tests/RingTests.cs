using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.Ring;
using Coup.Simulation;
using static Coup.Nodes.Tests.Succession;

namespace Coup.Nodes.Tests;

/// <summary>
/// The ring algorithm (seed 000, section 2.3: "노드들이 논리적인 원형 구조를 형성하고, 일정한
/// 순서대로 메시지를 전달하며 리더를 선출합니다", the nodes form a logical ring and elect a leader
/// by passing a message in a fixed order; seed 004, "링 알고리즘", step by step).
/// </summary>
public sealed class RingTests
{
    private const string Algorithm = "ring";
    private static readonly ClusterConfig Defaults = new() { Self = 0, Members = [] };

    public static TheoryData<int> Seeds => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_new_cluster_When_it_settles_Then_the_highest_id_leads_and_every_node_follows_it(int seed)
    {
        // "메시지는 전체 노드를 순회하여 ... 가장 순위가 높은 노드를 리더로 선출한다"
        // (seed 004: the message goes round every node and the highest-ranked node in it is elected).
        var cluster = Settled(Algorithm, seed);

        Assert.Equal("n5", SoleLeader(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_leader_When_it_dies_Then_the_highest_live_id_leads_in_the_next_term_after_one_claim(int seed)
    {
        // Concurrent initiators: only the highest one's message completes, so there is one claim.
        var cluster = Settled(Algorithm, seed);
        var oldTerm = cluster.StatusOf("n5")!.Term;
        var claimants = new List<string>();
        cluster.StatusChanged += s => { if (s.Status.Role == Role.Leader) { claimants.Add(s.Node); } };

        var replacement = ReplaceLeader(cluster);
        cluster.RunFor(Settle);

        Assert.Equal("n4", replacement.NewLeader);
        Assert.Equal(["n4"], claimants);
        Assert.Equal(oldTerm + 1, cluster.StatusOf("n4")!.Term);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_dead_nodes_in_the_ring_When_the_leader_dies_Then_they_are_skipped_and_the_highest_live_id_wins(
        int seed)
    {
        // "링 알고리즘" (seed 004) with dead successors: the message must get past n3 and n5 to close.
        var cluster = Settled(Algorithm, seed);

        var replacement = ReplaceLeader(cluster, "n5", "n3");

        Assert.Equal("n4", replacement.NewLeader);
    }

    [Fact]
    public void Given_a_node_that_passed_an_election_on_When_its_successor_is_slow_to_ack_Then_it_sends_to_the_next()
    {
        // "각 프로세스는 전달 받은 메시지를 다음 프로세스에 전달한다 ... 메시지에는
        // 자신의 정보를 포함하여" (seed 004: each process passes the message to the next, adding its own
        // information).
        var config = new ClusterConfig { Self = 2, Members = [1, 2, 3, 4, 5] };
        var node = new RingNode(config, new HardState { Term = 7 }, new Random(1));

        node.Step(new Election { From = 1, To = 2, Initiator = 1, Term = 3, Ids = [1] });
        var passed = node.TakeReady().Messages;
        for (var tick = 0; tick < config.HeartbeatTicks; tick++)
        {
            node.Tick();
        }
        var skipped = node.TakeReady().Messages;

        var expected = new Election { From = 2, To = 3, Initiator = 1, Term = 8, Ids = [1, 2] };
        Assert.Equal(new ElectionAck { From = 2, To = 1 }, passed[0]);
        Assert.Equivalent(expected, passed[1], strict: true);
        Assert.Equivalent(expected with { To = 4 }, Assert.Single(skipped), strict: true);
    }

    [Fact]
    public void Given_an_initiator_When_its_message_comes_back_Then_it_announces_the_highest_id_in_the_messages_term()
    {
        // "시작한 노드로 다시 돌아오면" (seed 004: when it returns to the node that started it); the term
        // is one more than the highest seen on the way round.
        var config = new ClusterConfig { Self = 1, Members = [1, 2, 3] };
        var node = new RingNode(config, HardState.Empty, new Random(1));
        for (var tick = 0; tick < config.ElectionTicksMax && node.Status.Role != Role.Candidate; tick++)
        {
            node.Tick();
        }
        Assert.Equal(2, Assert.IsType<Election>(Assert.Single(node.TakeReady().Messages)).To);

        node.Step(new Election { From = 3, To = 1, Initiator = 1, Term = 5, Ids = [1, 2, 3] });

        Assert.Equal(new NodeStatus { Role = Role.Follower, Term = 5, Leader = 3 }, node.Status);
        var announced = node.TakeReady();
        Assert.Equal(5, announced.Persist!.Term);
        Assert.Equal(
            [2, 3],
            announced.Messages.OfType<Coordinator>().Where(c => c is { Leader: 3, Term: 5 }).Select(c => c.To));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_leader_When_the_cluster_is_cut_in_two_Then_the_ring_closes_on_the_far_side_and_two_nodes_lead(
        int seed)
    {
        // "이 알고리즘 역시 네트워크 분할로 인해 split brain이 발생할 수 있다" (seed 004: this
        // algorithm too can split its brain under a network partition).
        var cluster = Settled(Algorithm, seed);

        cluster.Partition(Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);

        Assert.Equal(["n2", "n5"], Leaders(cluster));
        Assert.Equal("n2", SoleLeader(cluster, ["n1", "n2"]));
        Assert.Equal("n5", SoleLeader(cluster, ["n3", "n4", "n5"]));
    }

    [Fact]
    public void Given_two_leaders_after_a_cut_When_clients_write_to_both_Then_both_acknowledge()
    {
        var cluster = Settled(Algorithm, seed: 5);
        cluster.Partition(Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);
        var outcomes = new List<WriteOutcome>();

        cluster.Write("n2", 1, outcomes.Add);
        cluster.Write("n5", 2, outcomes.Add);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["ok", "ok"], outcomes.Select(o => o.Phase));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_two_leaders_When_the_partition_heals_Then_the_newer_term_leads_everyone(int seed)
    {
        var cluster = Settled(Algorithm, seed);
        cluster.Partition(Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);

        cluster.Heal();
        cluster.RunFor(Settle);

        Assert.Equal("n2", SoleLeader(cluster));
    }

    [Fact]
    public void Given_a_follower_When_it_restarts_Then_it_keeps_its_term_and_rejoins_the_leader()
    {
        var cluster = Settled(Algorithm, seed: 4);
        var term = cluster.StatusOf("n1")!.Term;

        cluster.Kill("n1");
        cluster.Restart("n1");
        Assert.Equal(term, cluster.StatusOf("n1")!.Term);
        cluster.RunFor(TimeSpan.FromMilliseconds(Defaults.ElectionTimeoutMsMin));

        Assert.Equal("n5", SoleLeader(cluster));
    }

    [Fact]
    public void Given_the_same_seed_When_a_cluster_runs_twice_Then_it_announces_the_same_changes_at_the_same_times()
    {
        Assert.Equal(History(Algorithm, 11), History(Algorithm, 11));
        Assert.NotEqual(History(Algorithm, 11), History(Algorithm, 12));
    }
}
