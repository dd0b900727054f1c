using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.CandidateOrdinary;
using Coup.Simulation;
using static Coup.Nodes.Tests.Succession;

namespace Coup.Nodes.Tests;

/// <summary>
/// Candidate and ordinary nodes (seed 004, "후보/일반 노드 최적화", the candidate/ordinary
/// optimisation): the highest ceil(n/2) ids are candidates, the rest can never lead.
/// </summary>
public sealed class CandidateOrdinaryTests
{
    private const string Algorithm = "candidate-ordinary";

    public static TheoryData<int> Seeds => [1, 2, 3];

    /// <summary>Every node that claimed leadership at any time during the run.</summary>
    private static HashSet<string> Claimants(SimulatedCluster cluster)
    {
        var claimants = new HashSet<string>();
        cluster.StatusChanged += s => { if (s.Status.Role == Role.Leader) { claimants.Add(s.Node); } };
        return claimants;
    }

    [Fact]
    public void Given_three_or_five_members_When_candidates_are_chosen_Then_they_are_the_highest_half_rounded_up()
    {
        // "리더가 될 수 있는 후보 그룹과 일반 그룹으로 노드를 나누는 방식" (seed 004: nodes
        // are split into a group of candidates that may lead and a group of ordinary ones).
        Assert.Equal([3, 2], CandidateOrdinaryNode.CandidatesOf([1, 2, 3]));
        Assert.Equal([5, 4, 3], CandidateOrdinaryNode.CandidatesOf([1, 2, 3, 4, 5]));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    [InlineData(5, 3)]
    public void Given_a_new_cluster_When_it_settles_Then_the_highest_candidate_leads_and_every_node_follows_it(
        int nodes, int seed)
    {
        var cluster = Settled(Algorithm, seed, nodes);

        Assert.Equal(NodeNames.Of(nodes), SoleLeader(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_leader_When_it_dies_Then_the_highest_live_candidate_wins_with_a_single_claim(int seed)
    {
        // "딜레이 시간은 높은 순위를 가지는 노드일 수록 작고 ... 동시에 여러 선출
        // 작업이 발생하는 것을 방지한다" (seed 004: higher ranks wait less, by more than a round trip,
        // which prevents concurrent elections).
        var cluster = Settled(Algorithm, seed);
        var oldTerm = cluster.StatusOf("n5")!.Term;
        var claimants = Claimants(cluster);

        var replacement = ReplaceLeader(cluster);
        cluster.RunFor(Settle);

        Assert.Equal("n4", replacement.NewLeader);
        Assert.Equal(["n4"], claimants);
        Assert.Equal(oldTerm + 1, cluster.StatusOf("n4")!.Term);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_the_two_highest_candidates_When_both_die_Then_the_third_candidate_wins(int seed)
    {
        var cluster = Settled(Algorithm, seed);

        var replacement = ReplaceLeader(cluster, "n5", "n4");

        Assert.Equal("n3", replacement.NewLeader);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Given_three_nodes_When_the_leader_dies_Then_the_other_candidate_wins_and_the_ordinary_node_never_leads(
        int seed)
    {
        var cluster = Settled(Algorithm, seed, nodes: 3);
        var claimants = Claimants(cluster);

        var replacement = ReplaceLeader(cluster);
        cluster.Kill("n2");
        cluster.RunFor(Settle);

        Assert.Equal("n2", replacement.NewLeader);
        Assert.Equal(["n2"], claimants);
        Assert.Empty(Leaders(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_kills_and_partitions_When_the_cluster_runs_Then_only_candidates_ever_lead(int seed)
    {
        // "일반 프로세스는 모든 후보 노드에 메시지를 전송해 선출 작업을 시작한다" (seed
        // 004: ordinary processes start elections; they are never elected).
        var cluster = new SimulatedCluster(Algorithm, 5, seed);
        var claimants = Claimants(cluster);
        cluster.Start();
        cluster.RunFor(Settle);

        cluster.Partition(new Grudge { Components = [["n1", "n2", "n3"], ["n4", "n5"]] });
        cluster.RunFor(Settle);
        cluster.Heal();
        cluster.RunFor(Settle);
        // Whoever leads after the heal (n3's claim is of a newer term than n5's), kill the leader
        // until no candidate is left: each candidate leads in turn, and then only n1 and n2 remain,
        // ordinary both.
        for (var candidatesLeft = 3; candidatesLeft > 0; candidatesLeft--)
        {
            cluster.Kill(SoleLeader(cluster));
            cluster.RunFor(Settle);
        }

        Assert.Equal(new HashSet<string> { "n3", "n4", "n5" }, claimants);
        Assert.Empty(Leaders(cluster));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_cut_with_a_candidate_on_each_side_When_it_settles_Then_each_side_elects_its_own_leader(
        int seed)
    {
        // Seed 004's conclusion: "split brain은 과반수 합의 알고리즘에 의해 해결가능 하다" (only
        // majority consensus prevents split brain); candidates need no majority, so each side with one elects.
        var cluster = Settled(Algorithm, seed);

        cluster.Partition(new Grudge { Components = [["n1", "n2", "n3"], ["n4", "n5"]] });
        cluster.RunFor(Settle);

        Assert.Equal(["n3", "n5"], Leaders(cluster));
        Assert.Equal("n3", SoleLeader(cluster, ["n1", "n2", "n3"]));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_cut_that_leaves_one_side_only_ordinary_nodes_When_it_settles_Then_that_side_has_no_leader(
        int seed)
    {
        var cluster = Settled(Algorithm, seed);

        cluster.Partition(Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);

        Assert.Equal(["n5"], Leaders(cluster));
        Assert.All(["n1", "n2"], n => Assert.Null(cluster.StatusOf(n)!.Leader));
    }

    [Fact]
    public void Given_two_leaders_after_a_cut_When_clients_write_to_both_Then_both_acknowledge()
    {
        var cluster = Settled(Algorithm, seed: 5);
        cluster.Partition(new Grudge { Components = [["n1", "n2", "n3"], ["n4", "n5"]] });
        cluster.RunFor(Settle);
        var outcomes = new List<WriteOutcome>();

        cluster.Write("n3", 1, outcomes.Add);
        cluster.Write("n5", 2, outcomes.Add);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["ok", "ok"], outcomes.Select(o => o.Phase));
    }

    [Fact]
    public void Given_the_same_seed_When_a_cluster_runs_twice_Then_it_announces_the_same_changes_at_the_same_times()
    {
        Assert.Equal(History(Algorithm, 11), History(Algorithm, 11));
        Assert.NotEqual(History(Algorithm, 11), History(Algorithm, 12));
    }
}
