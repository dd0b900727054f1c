using Coup.Nodes;
using Coup.Nodes.Raft;
using Coup.Simulation;
using static Coup.Nodes.Tests.Succession;

namespace Coup.Nodes.Tests;

/// <summary>
/// What each algorithm keeps across a crash (DESIGN.md: "a killed and restarted node keeps its term
/// and vote"): Raft its term and vote, Bully and candidate/ordinary their election counter. A
/// restarted node boots from what it last persisted, as the node host boots from its data directory.
/// </summary>
public sealed class RestartTests
{
    public static TheoryData<int> Seeds => [1, 2, 3];

    private static readonly ClusterConfig ThreeNodes = new() { Self = 1, Members = [1, 2, 3] };

    [Fact]
    public void Given_a_raft_node_that_voted_When_it_boots_from_its_disk_Then_it_refuses_another_candidate()
    {
        // "Each server will vote for at most one candidate in a given term" (Raft, section 5.2), and
        // votedFor is "updated on stable storage before responding to RPCs" (Figure 2).
        var node = new RaftNode(ThreeNodes, HardState.Empty, new Random(1));
        node.Step(new RequestVote { From = 2, To = 1, Term = 4 });
        var voted = node.TakeReady();
        Assert.Equal(new VoteResponse { From = 1, To = 2, Term = 4, Granted = true }, Assert.Single(voted.Messages));
        Assert.Equal(new HardState { Term = 4, VotedFor = 2 }, voted.Persist);

        var restarted = new RaftNode(ThreeNodes, voted.Persist!, new Random(2));
        restarted.Step(new RequestVote { From = 3, To = 1, Term = 4 });
        restarted.Step(new RequestVote { From = 2, To = 1, Term = 4 });

        Assert.Equal(4, restarted.Status.Term);
        Assert.Equal(
            [
                new VoteResponse { From = 1, To = 3, Term = 4, Granted = false },
                new VoteResponse { From = 1, To = 2, Term = 4, Granted = true },
            ],
            restarted.TakeReady().Messages);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_bully_follower_When_it_restarts_Then_it_boots_in_the_term_it_had(int seed)
    {
        var cluster = Settled("bully", seed);
        var term = cluster.StatusOf("n5")!.Term;
        Assert.Equal(new HardState { Term = term }, cluster.PersistedOf("n3"));

        cluster.Kill("n3");
        cluster.Restart("n3");

        // Before it hears from anyone: nothing but its disk can have told it the term.
        Assert.Equal(new NodeStatus { Role = Role.Follower, Term = term, Leader = null }, cluster.StatusOf("n3"));
        cluster.RunFor(Settle);
        Assert.Equal("n5", SoleLeader(cluster));
        Assert.Equal(term, cluster.StatusOf("n5")!.Term);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_replaced_bully_leader_When_it_restarts_Then_it_boots_in_its_term_and_bullies_back(int seed)
    {
        var cluster = Settled("bully", seed);
        var oldTerm = cluster.StatusOf("n5")!.Term;
        var replacement = ReplaceLeader(cluster);
        var successorTerm = cluster.StatusOf(replacement.NewLeader)!.Term;

        cluster.Restart("n5");

        Assert.Equal(oldTerm, cluster.StatusOf("n5")!.Term);
        cluster.RunFor(Settle);
        Assert.Equal("n5", SoleLeader(cluster));
        var term = cluster.StatusOf("n5")!.Term;
        Assert.True(term > successorTerm, $"n5 leads in term {term}, n4 led {successorTerm}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_candidate_ordinary_follower_When_it_restarts_Then_it_boots_in_the_term_it_had(int seed)
    {
        var cluster = Settled("candidate-ordinary", seed);
        var term = cluster.StatusOf("n5")!.Term;
        Assert.Equal(new HardState { Term = term }, cluster.PersistedOf("n2"));

        cluster.Kill("n2");
        cluster.Restart("n2");

        Assert.Equal(new NodeStatus { Role = Role.Follower, Term = term, Leader = null }, cluster.StatusOf("n2"));
        cluster.RunFor(Settle);
        Assert.Equal("n5", SoleLeader(cluster));
        Assert.Equal(term, cluster.StatusOf("n5")!.Term);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Given_a_replaced_candidate_leader_When_it_restarts_Then_it_boots_in_its_term_and_follows(int seed)
    {
        // Claims are ordered by (term, id): the restarted n5 remembers only its old term, so n4's
        // claim of a later term is the newer one and n5 follows it instead of claiming over it.
        var cluster = Settled("candidate-ordinary", seed);
        var oldTerm = cluster.StatusOf("n5")!.Term;
        var replacement = ReplaceLeader(cluster);
        Assert.Equal("n4", replacement.NewLeader);
        var successorTerm = cluster.StatusOf("n4")!.Term;

        cluster.Restart("n5");

        Assert.Equal(oldTerm, cluster.StatusOf("n5")!.Term);
        cluster.RunFor(Settle);
        Assert.Equal("n4", SoleLeader(cluster));
        Assert.Equal(successorTerm, cluster.StatusOf("n5")!.Term);
    }
}
