using Coup.Faults;
using Coup.Nodes;
using Coup.Simulation;
using static Coup.Nodes.Tests.ZabSimulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// ZAB-style election (seed 000, section 2.1: "ZooKeeper에서 사용하는 프로토콜로, 리더 선출 및 상태
/// 동기화를 위한 기법", the protocol ZooKeeper uses for leader election and state synchronization),
/// checked against the Zab paper (Junqueira, Reed and Serafini, 2011) and ZooKeeper's
/// FastLeaderElection, in the simulator: elections, crashes, restarts, partitions and writes.
/// Single steps of one node are in <see cref="ZabNodeTests"/>; the broken variant in <see cref="ZabEarlyClaimTests"/>.
/// </summary>
public sealed class ZabTests
{
    private static readonly ClusterConfig Defaults = new() { Self = 0, Members = [] };

    public static TheoryData<int> Seeds => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_healthy_cluster_When_it_settles_Then_one_node_leads_an_epoch_that_every_node_follows(int seed)
    {
        // "일관된 결정을 내리기 위해 단일 리더를 선출하는 과정이 필요합니다" (seed 000,
        // section 1: a single leader is elected so that the nodes decide consistently).
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
    public void Given_a_follower_that_missed_writes_When_the_leader_crashes_Then_a_node_that_logged_them_leads(
        int seed)
    {
        // The zxid in a vote: of n1..n4, n4 would win on its id, but n1..n3 logged three more writes.
        // Which of n1..n3 wins depends on who misses n5 first: a quorum that agrees concludes after
        // the finalize wait without waiting for the last node to join (n3 need not win on its id).
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

        Assert.Contains(SoleLeader(cluster), (string[])["n1", "n2", "n3"]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_leader_When_it_crashes_Then_another_node_leads_in_a_higher_epoch(int seed)
    {
        // "팔로워들이 정기적으로 리더의 하트비트를 감시하여, 장애 발생 시 빠른 리더
        // 선출이 가능합니다" (seed 000, section 2.1: followers watch the leader's heartbeat, so a failure is
        // followed quickly by a new election).
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
    public void Given_a_2_3_cut_with_the_leader_in_the_minority_When_settled_Then_only_the_majority_leads_a_new_epoch(
        int seed)
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
    public void Given_a_leader_down_to_one_follower_When_the_sync_limit_passes_Then_it_stops_before_a_successor_claims(
        int seed)
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
        Assert.InRange(
            stoppedNs.Value - partitionedNs,
            0,
            (Defaults.ElectionTimeoutMsMin + Defaults.HeartbeatMs) * 1_000_000L);
        Assert.True(stoppedNs < successorNs);
    }

    [Fact]
    public void Given_a_leader_When_a_client_writes_Then_it_is_acknowledged_in_the_leaders_epoch()
    {
        // "리더가 모든 변경 사항을 원자적으로 브로드캐스트 하여" (seed 000, section 2.1: the
        // leader broadcasts every change): acknowledged once a quorum has logged its zxid.
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
        // "여러 노드가 동시에 변경 작업을 수행하는 것을 방지하고" (seed 000, section 1: keep
        // several nodes from making changes at once).
        var cluster = Settled("zab", seed: 6);
        var leader = SoleLeader(cluster);
        cluster.Partition(Grudge.Isolate(leader, cluster.Names));
        WriteOutcome? outcome = null;

        cluster.Write(leader, 1, o => outcome = o);
        cluster.RunFor(Settle);

        Assert.NotNull(outcome);
        Assert.NotEqual("ok", outcome.Phase);
    }

    [Fact]
    public void Given_the_same_seed_When_a_cluster_runs_twice_Then_it_announces_the_same_changes_at_the_same_times()
    {
        // "시뮬레이션 테스트(예: Chaos Engineering)를 통해 ... 점검해야 합니다" (seed 000, section
        // 3: check recovery with simulation tests): a failure must replay from its seed.
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
}
