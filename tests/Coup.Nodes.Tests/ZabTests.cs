using System.Text.Json;
using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.Zab;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// ZAB-style election (seed 000, section 2.1: "ZooKeeper에서 사용하는 프로토콜로, 리더 선출 및 상태
/// 동기화를 위한 기법", the protocol ZooKeeper uses for leader election and state synchronization),
/// checked against the Zab paper (Junqueira, Reed and Serafini, 2011) and ZooKeeper's
/// FastLeaderElection, in the simulator and, where a single step is the point, on one node.
/// </summary>
public sealed class ZabTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly ClusterConfig Defaults = new() { Self = 0, Members = [] };

    public static TheoryData<int> Seeds => [1, 2, 3];

    private static SimulatedCluster Settled(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        return cluster;
    }

    private static string SoleLeader(SimulatedCluster cluster) =>
        Assert.Single(cluster.Names, n => cluster.StatusOf(n)?.Role == Role.Leader);

    private static long EpochOf(SimulatedCluster cluster, string node) => cluster.StatusOf(node)!.Term;

    /// <summary>Every node in <paramref name="nodes"/> follows (or is) <paramref name="leader"/> in its epoch.</summary>
    private static void AssertAllFollow(SimulatedCluster cluster, IEnumerable<string> nodes, string leader) =>
        Assert.All(nodes, n => Assert.Equal(
            (NodeNames.IdOf(leader), EpochOf(cluster, leader)),
            (cluster.StatusOf(n)!.Leader, EpochOf(cluster, n))));

    /// <summary>Every (node, epoch) that claimed leadership during a run.</summary>
    private sealed class Claims
    {
        public HashSet<(string Node, long Epoch)> Seen { get; } = [];

        public Claims(SimulatedCluster cluster) => cluster.StatusChanged += s =>
        {
            if (s.Status.Role == Role.Leader)
            {
                Seen.Add((s.Node, s.Status.Term));
            }
        };

        public IReadOnlyList<long> EpochsWithTwoLeaders =>
            [.. Seen.GroupBy(c => c.Epoch).Where(g => g.Count() > 1).Select(g => g.Key).Order()];
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_healthy_cluster_When_it_settles_Then_one_node_leads_an_epoch_that_every_node_follows(int seed)
    {
        // "일관된 결정을 내리기 위해 단일 리더를 선출하는 과정이 필요합니다" (seed 000, section 1:
        // a single leader is elected so that the nodes decide consistently).
        var cluster = Settled("zab", seed);

        var leader = SoleLeader(cluster);

        Assert.True(EpochOf(cluster, leader) >= 1);
        AssertAllFollow(cluster, cluster.Names, leader);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_new_cluster_with_equal_epochs_and_zxids_When_it_settles_Then_the_highest_id_leads(int seed)
    {
        // FastLeaderElection's order: a higher epoch wins, then a higher zxid, then a higher server id.
        var cluster = Settled("zab", seed);

        Assert.Equal("n5", SoleLeader(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_follower_that_missed_writes_When_the_leader_crashes_Then_a_node_that_logged_them_leads(int seed)
    {
        // The zxid in a vote: of n1..n4, n4 would win on its id, but n1..n3 logged three more writes.
        var cluster = Settled("zab", seed);
        cluster.Partition(Grudge.Isolate("n4", cluster.Names));
        var outcomes = new List<WriteOutcome>();
        for (var write = 1; write <= 3; write++)
        {
            cluster.Write("n5", write, outcomes.Add);
            cluster.RunFor(TimeSpan.FromMilliseconds(100));
        }
        Assert.All(outcomes, o => Assert.Equal("ok", o.Phase));

        cluster.Kill("n5");
        cluster.Heal();
        cluster.RunFor(Settle);

        Assert.Equal("n3", SoleLeader(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_leader_When_it_crashes_Then_another_node_leads_in_a_higher_epoch(int seed)
    {
        // "팔로워들이 정기적으로 리더의 하트비트를 감시하여, 장애 발생 시 빠른 리더 선출이 가능합니다"
        // (seed 000, section 2.1: followers watch the leader's heartbeat, so a failure is followed
        // quickly by a new election).
        var cluster = Settled("zab", seed);
        var oldLeader = SoleLeader(cluster);
        var oldEpoch = EpochOf(cluster, oldLeader);

        cluster.Kill(oldLeader);
        cluster.RunFor(Settle);

        var newLeader = SoleLeader(cluster);
        Assert.NotEqual(oldLeader, newLeader);
        Assert.True(EpochOf(cluster, newLeader) > oldEpoch);
    }

    [Fact]
    public void Given_a_follower_When_it_restarts_Then_it_keeps_its_epoch()
    {
        // "F.currentEpoch ← e' // stored to non-volatile memory" (Zab paper, Algorithm 2).
        var cluster = Settled("zab", seed: 4);
        var follower = cluster.Names.First(n => cluster.StatusOf(n)!.Role == Role.Follower);
        var epoch = EpochOf(cluster, follower);

        cluster.Kill(follower);
        cluster.Restart(follower);

        Assert.Equal(epoch, EpochOf(cluster, follower));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_follower_that_restarts_When_the_ensemble_has_formed_Then_it_joins_the_leader_it_finds(int seed)
    {
        // ZooKeeper's out-of-election votes: a quorum says it follows a leader, and that leader says it leads.
        var cluster = Settled("zab", seed);
        var leader = SoleLeader(cluster);
        var follower = cluster.Names.First(n => n != leader);

        cluster.Kill(follower);
        cluster.Restart(follower);
        cluster.RunFor(Settle);

        Assert.Equal(leader, SoleLeader(cluster));
        AssertAllFollow(cluster, cluster.Names, leader);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_every_node_restarts_When_they_elect_again_Then_the_epoch_is_higher_than_any_before(int seed)
    {
        // Accepted epochs survive the crash, so the next NEWEPOCH is above all of them.
        var cluster = Settled("zab", seed);
        var oldEpoch = EpochOf(cluster, SoleLeader(cluster));

        foreach (var node in cluster.Names)
        {
            cluster.Kill(node);
        }
        foreach (var node in cluster.Names)
        {
            cluster.Restart(node);
        }
        cluster.RunFor(Settle);

        Assert.True(EpochOf(cluster, SoleLeader(cluster)) > oldEpoch);
    }

    /// <summary>Cuts a settled cluster two and three, its leader and one follower on the small side.</summary>
    private static (string OldLeader, string[] Large) CutTheLeaderAndOneFollowerOff(SimulatedCluster cluster)
    {
        var oldLeader = SoleLeader(cluster);
        string[] small = [oldLeader, cluster.Names.First(n => n != oldLeader)];
        string[] large = [.. cluster.Names.Except(small)];
        cluster.Partition(new Grudge { Components = [small, large] });
        return (oldLeader, large);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_cluster_cut_two_and_three_with_the_leader_on_the_small_side_When_it_settles_Then_only_the_majority_has_a_leader_in_a_newer_epoch(int seed)
    {
        // "네트워크 지연이나 분할(Partition) 상황을 고려하여" (seed 000, section 3: election must
        // hold up under network delays and partitions).
        var cluster = Settled("zab", seed);
        var oldEpoch = EpochOf(cluster, SoleLeader(cluster));

        var (_, large) = CutTheLeaderAndOneFollowerOff(cluster);
        cluster.RunFor(Settle);

        var leader = SoleLeader(cluster);
        Assert.Contains(leader, large);
        Assert.True(EpochOf(cluster, leader) > oldEpoch);
        AssertAllFollow(cluster, large, leader);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_leader_left_with_one_follower_When_the_sync_limit_passes_Then_it_stops_claiming_before_a_successor_claims(int seed)
    {
        // ZooKeeper's leader shuts down once fewer than a quorum of followers are in sync with it;
        // one follower still answering is not a quorum of five.
        var cluster = Settled("zab", seed);
        var oldLeader = SoleLeader(cluster);
        long? stoppedNs = null;
        long? successorNs = null;
        cluster.StatusChanged += s =>
        {
            if (s.Node == oldLeader && s.Status.Role != Role.Leader)
            {
                stoppedNs ??= cluster.NowNs;
            }
            else if (s.Node != oldLeader && s.Status.Role == Role.Leader)
            {
                successorNs ??= cluster.NowNs;
            }
        };
        var partitionedNs = cluster.NowNs;

        CutTheLeaderAndOneFollowerOff(cluster);
        cluster.RunFor(Settle);

        Assert.NotNull(stoppedNs);
        Assert.NotNull(successorNs);
        Assert.InRange(stoppedNs.Value - partitionedNs, 0, (Defaults.ElectionTimeoutMsMin + Defaults.HeartbeatMs) * 1_000_000L);
        Assert.True(stoppedNs < successorNs);
    }

    [Fact]
    public void Given_a_leader_When_a_client_writes_Then_it_is_acknowledged_in_the_leaders_epoch()
    {
        // "리더가 모든 변경 사항을 원자적으로 브로드캐스트 하여" (seed 000, section 2.1: the leader
        // broadcasts every change): acknowledged once a quorum has logged its zxid.
        var cluster = Settled("zab", seed: 5);
        var leader = SoleLeader(cluster);
        WriteOutcome? outcome = null;

        cluster.Write(leader, 1, o => outcome = o);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(WriteOutcome.Ok(EpochOf(cluster, leader)), outcome);
    }

    [Fact]
    public void Given_an_isolated_leader_When_a_client_writes_to_it_Then_the_write_is_never_acknowledged()
    {
        // "여러 노드가 동시에 변경 작업을 수행하는 것을 방지하고" (seed 000, section 1: keep several
        // nodes from making changes at once).
        var cluster = Settled("zab", seed: 6);
        var leader = SoleLeader(cluster);
        cluster.Partition(Grudge.Isolate(leader, cluster.Names));
        WriteOutcome? outcome = null;

        cluster.Write(leader, 1, o => outcome = o);
        cluster.RunFor(Settle);

        Assert.NotNull(outcome);
        Assert.NotEqual("ok", outcome.Phase);
    }

    /// <summary>What a schedule left behind: every claim, and each acknowledged write as (node, epoch).</summary>
    private sealed record Aftermath(Claims Claims, List<(string Node, long Epoch)> Acknowledged, string Isolated, string Successor);

    /// <summary>
    /// The leader crashes; the node that next claims leadership is cut off at the instant it
    /// claims (its messages still in flight are lost) and a client writes to it at once. The rest
    /// elect a successor, and a client writes to that one too.
    /// </summary>
    private static Aftermath IsolateTheNextClaimer(string algorithm, int seed)
    {
        var cluster = Settled(algorithm, seed);
        var claims = new Claims(cluster);
        var acknowledged = new List<(string, long)>();
        void WriteTo(string node, long writeId) =>
            cluster.Write(node, writeId, o => { if (o.Phase == "ok") { acknowledged.Add((node, o.Term!.Value)); } });
        string? isolated = null;
        cluster.StatusChanged += s =>
        {
            if (isolated is null && s.Status.Role == Role.Leader)
            {
                isolated = s.Node;
                cluster.Partition(Grudge.Isolate(s.Node, cluster.Names));
                WriteTo(s.Node, 1);
            }
        };

        cluster.Kill(SoleLeader(cluster));
        cluster.RunFor(Settle);
        var successor = SoleLeader(cluster);
        WriteTo(successor, 2);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        return new Aftermath(claims, acknowledged, isolated!, successor);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_zab_early_claim_When_the_next_claimer_is_cut_off_as_it_claims_Then_two_nodes_lead_and_acknowledge_writes_in_one_epoch(int seed)
    {
        // The flaw: NEWEPOCH(e') is claimed before "receiving ACKEPOCH from all followers in Q"
        // (Zab paper, Algorithm 1), so the majority, never having accepted e', proposes it again.
        var run = IsolateTheNextClaimer("zab-early-claim", seed);

        var epoch = Assert.Single(run.Claims.EpochsWithTwoLeaders);
        Assert.Contains((run.Isolated, epoch), run.Claims.Seen);
        Assert.Contains((run.Successor, epoch), run.Claims.Seen);
        Assert.Equal([(run.Isolated, epoch), (run.Successor, epoch)], run.Acknowledged);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_zab_When_the_next_claimer_is_cut_off_as_it_claims_Then_each_epoch_has_one_leader_and_only_the_successor_acknowledges(int seed)
    {
        // A quorum accepted the epoch before it was claimed, so the successor must propose a higher one.
        var run = IsolateTheNextClaimer("zab", seed);

        Assert.Empty(run.Claims.EpochsWithTwoLeaders);
        var (node, epoch) = Assert.Single(run.Acknowledged);
        Assert.Equal(run.Successor, node);
        Assert.Contains((run.Isolated, epoch - 1), run.Claims.Seen);
    }

    [Fact]
    public void Given_the_same_seed_When_a_cluster_runs_twice_Then_it_announces_the_same_changes_at_the_same_times()
    {
        // "시뮬레이션 테스트(예: Chaos Engineering)를 통해 ... 점검해야 합니다" (seed 000, section 3:
        // check recovery with simulation tests): a failure must replay from its seed.
        static List<string> Run(int seed)
        {
            var cluster = new SimulatedCluster("zab", 5, seed);
            var seen = new List<string>();
            cluster.StatusChanged += s => seen.Add($"{cluster.NowNs} {s.Node} {s.Status}");
            cluster.Start();
            cluster.RunFor(Settle);
            cluster.Kill(SoleLeader(cluster));
            cluster.RunFor(Settle);
            return seen;
        }

        Assert.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11), Run(12));
    }

    /// <summary>Node 1 of three, started from <paramref name="state"/>, once n2 and n3 have voted for n3 and the finalize wait is over.</summary>
    private static (ZabNode Node, Ready Ready) FollowingN3(HardState state)
    {
        var config = new ClusterConfig { Self = 1, Members = [1, 2, 3] };
        var node = new ZabNode(config, state, new Random(1));
        var round = node.TakeReady().Messages.OfType<Notification>().First().Round;
        foreach (var voter in new[] { 2, 3 })
        {
            node.Step(new Notification { From = voter, To = 1, Round = round, Vote = new Vote(3, state.Term + 1, 0), State = ServerState.Looking });
        }
        for (var tick = 0; tick < ZabNode.FinalizeWaitHeartbeats * config.HeartbeatTicks; tick++)
        {
            node.Tick();
        }
        return (node, node.TakeReady());
    }

    private static HardState Accepted(long acceptedEpoch) =>
        new() { Values = new Dictionary<string, long> { [ZabNode.AcceptedEpochKey] = acceptedEpoch } };

    [Fact]
    public void Given_a_follower_When_its_leader_proposes_a_newer_epoch_Then_it_persists_it_in_the_batch_that_acknowledges_it()
    {
        // "if e' > F.acceptedEpoch then F.acceptedEpoch ← e' // stored to non-volatile memory;
        // send ACKEPOCH" (Zab paper, Algorithm 1). A Ready is persisted before its messages leave.
        var (node, concluded) = FollowingN3(HardState.Empty);
        Assert.Contains(new FollowerInfo { From = 1, To = 3, AcceptedEpoch = 0 }, concluded.Messages);

        node.Step(new NewEpoch { From = 3, To = 1, Epoch = 1 });
        var ready = node.TakeReady();

        Assert.Equal(1, ready.Persist!.Values![ZabNode.AcceptedEpochKey]);
        Assert.Equal(new AckEpoch { From = 1, To = 3, Epoch = 1, NewlyAccepted = true }, Assert.Single(ready.Messages));
    }

    [Fact]
    public void Given_a_follower_that_accepted_an_epoch_before_When_it_is_proposed_again_Then_its_acknowledgement_does_not_count()
    {
        // "since we have already acked an epoch equal to the leaders, we cannot ack again" (ZooKeeper's Learner).
        var (node, _) = FollowingN3(Accepted(1));

        node.Step(new NewEpoch { From = 3, To = 1, Epoch = 1 });
        var ready = node.TakeReady();

        Assert.Null(ready.Persist);
        Assert.Equal(new AckEpoch { From = 1, To = 3, Epoch = 1, NewlyAccepted = false }, Assert.Single(ready.Messages));
    }

    [Fact]
    public void Given_a_follower_that_accepted_a_newer_epoch_When_an_older_one_is_proposed_Then_it_looks_for_a_leader_again()
    {
        // "else if e' < F.acceptedEpoch then F.state ← election and goto Phase 0" (Zab paper, Algorithm 1).
        var (node, _) = FollowingN3(Accepted(2));

        node.Step(new NewEpoch { From = 3, To = 1, Epoch = 1 });
        var ready = node.TakeReady();

        Assert.DoesNotContain(ready.Messages, m => m is AckEpoch);
        Assert.All(ready.Messages, m => Assert.Equal(ServerState.Looking, Assert.IsType<Notification>(m).State));
        Assert.Equal(2, ready.Messages.Count);
    }

    [Fact]
    public void Given_a_node_restarted_with_persisted_epochs_When_it_looks_for_a_leader_Then_it_votes_with_its_epoch_and_zxid()
    {
        // The vote carries the current epoch and the zxid of the last write logged: (epoch << 32 | counter).
        var lastZxid = (3L << 32) | 7;
        var state = new HardState { Term = 3, Values = new Dictionary<string, long> { [ZabNode.AcceptedEpochKey] = 4, [ZabNode.LastZxidKey] = lastZxid } };

        var node = new ZabNode(new ClusterConfig { Self = 1, Members = [1, 2, 3] }, state, new Random(1));

        Assert.Equal(new NodeStatus { Role = Role.Candidate, Term = 3, Leader = null }, node.Status);
        Assert.All(node.TakeReady().Messages, m => Assert.Equal(new Vote(1, 3, lastZxid), Assert.IsType<Notification>(m).Vote));
    }

    [Fact]
    public void Given_two_votes_When_compared_Then_epoch_beats_zxid_and_zxid_beats_id()
    {
        // FastLeaderElection's totalOrderPredicate: new epoch higher; or same epoch and zxid higher;
        // or same epoch and zxid and server id higher.
        Assert.True(new Vote(1, 2, 0).IsBetterThan(new Vote(5, 1, 99)));
        Assert.True(new Vote(1, 1, 2).IsBetterThan(new Vote(5, 1, 1)));
        Assert.True(new Vote(5, 1, 1).IsBetterThan(new Vote(1, 1, 1)));
    }

    [Fact]
    public void Given_a_notification_When_it_crosses_the_wire_Then_its_vote_and_state_come_back()
    {
        // The node host carries the same messages over TCP: the nested vote must survive.
        Message sent = new Notification { From = 1, To = 2, Round = 3, Vote = new Vote(5, 4, (4L << 32) | 2), State = ServerState.Following };

        var back = JsonSerializer.Deserialize<Message>(JsonSerializer.Serialize(sent, Wire.Json), Wire.Json);

        Assert.Equal(sent, back);
    }
}
