using Coup.Nodes;
using Coup.Nodes.Raft;

namespace Coup.Nodes.Tests;

/// <summary>
/// Pre-vote's second condition (Raft thesis, section 9.6): a server grants a pre-vote only if "the
/// voters have not received heartbeats from a valid leader for at least a baseline election
/// timeout". The baseline is the minimum election timeout, 150 ms (30 ticks of 5 ms).
/// </summary>
public sealed class PreVoteTests
{
    private static readonly ClusterConfig Config = new() { Self = 1, Members = [1, 2, 3] };

    /// <summary>
    /// n1's answers to n3's pre-vote for term 4: a refusal carries n1's own term, a grant the new one.
    /// </summary>
    private static readonly PreVoteResponse Refusal = new() { From = 1, To = 3, Term = 3, Granted = false };
    private static readonly PreVoteResponse Grant = new() { From = 1, To = 3, Term = 4, Granted = true };

    /// <summary>A follower of n2 in term 3 that has just had a heartbeat from it.</summary>
    private static RaftNode FollowerThatJustHeardItsLeader()
    {
        var node = new RaftNode(Config, new HardState { Term = 3 }, new Random(1), new RaftOptions { PreVote = true });
        node.Step(new Heartbeat { From = 2, To = 1, Term = 3, Sequence = 1 });
        Assert.Equal(new NodeStatus { Role = Role.Follower, Term = 3, Leader = 2 }, node.Status);
        node.TakeReady();
        return node;
    }

    private static void Tick(RaftNode node, int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            node.Tick();
        }
        node.TakeReady();
    }

    [Fact]
    public void Given_a_follower_that_just_heard_its_leader_When_asked_for_a_pre_vote_Then_it_refuses()
    {
        var node = FollowerThatJustHeardItsLeader();

        node.Step(new PreVote { From = 3, To = 1, Term = 4 });

        Assert.Equal(Refusal, Assert.Single(node.TakeReady().Messages));
        Assert.Equal(new NodeStatus { Role = Role.Follower, Term = 3, Leader = 2 }, node.Status);
    }

    [Fact]
    public void Given_a_leader_heard_one_tick_short_of_the_minimum_timeout_When_asked_Then_it_still_refuses()
    {
        var node = FollowerThatJustHeardItsLeader();
        Tick(node, Config.ElectionTicksMin - 1);

        node.Step(new PreVote { From = 3, To = 1, Term = 4 });

        Assert.Equal(Refusal, Assert.Single(node.TakeReady().Messages));
    }

    [Fact]
    public void Given_a_leader_silent_for_the_minimum_timeout_When_asked_Then_it_grants_and_keeps_its_term()
    {
        var node = FollowerThatJustHeardItsLeader();
        Tick(node, Config.ElectionTicksMin);

        node.Step(new PreVote { From = 3, To = 1, Term = 4 });

        var ready = node.TakeReady();
        Assert.Equal(Grant, Assert.Single(ready.Messages));
        // A pre-vote is no vote: nothing is persisted and the term stays.
        Assert.Null(ready.Persist);
        Assert.Equal(3, node.Status.Term);
    }

    [Fact]
    public void Given_a_node_that_never_heard_a_leader_When_asked_for_a_pre_vote_Then_it_grants_it()
    {
        var node = new RaftNode(Config, new HardState { Term = 3 }, new Random(1), new RaftOptions { PreVote = true });

        node.Step(new PreVote { From = 3, To = 1, Term = 4 });

        Assert.Equal(Grant, Assert.Single(node.TakeReady().Messages));
    }

    [Fact]
    public void Given_a_leader_When_asked_for_a_pre_vote_Then_it_refuses_since_it_hears_itself()
    {
        var node = new RaftNode(Config, new HardState { Term = 3 }, new Random(1), new RaftOptions { PreVote = true });
        Tick(node, Config.ElectionTicksMax);
        node.Step(new PreVoteResponse { From = 2, To = 1, Term = 4, Granted = true });
        node.Step(new VoteResponse { From = 2, To = 1, Term = 4, Granted = true });
        Assert.Equal(new NodeStatus { Role = Role.Leader, Term = 4, Leader = 1 }, node.Status);
        node.TakeReady();
        Tick(node, Config.ElectionTicksMax);

        node.Step(new PreVote { From = 3, To = 1, Term = 5 });

        Assert.Contains(
            new PreVoteResponse { From = 1, To = 3, Term = 4, Granted = false },
            node.TakeReady().Messages);
    }
}
