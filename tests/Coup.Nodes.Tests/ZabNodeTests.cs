using System.Text.Json;
using Coup.Nodes;
using Coup.Nodes.Zab;

namespace Coup.Nodes.Tests;

/// <summary>
/// ZAB-style election (seed 000, section 2.1: "ZooKeeper에서 사용하는 프로토콜로, 리더 선출 및 상태
/// 동기화를 위한 기법", the protocol ZooKeeper uses for leader election and state synchronization),
/// checked against the Zab paper (Junqueira, Reed and Serafini, 2011) and ZooKeeper's
/// FastLeaderElection, one node and one step at a time.
/// </summary>
public sealed class ZabNodeTests
{
    /// <summary>
    /// Node 1 of three, started from <paramref name="state"/>, once
    /// n2 and n3 have voted for n3 and the finalize wait is over.
    /// </summary>
    private static (ZabNode Node, Ready Ready) FollowingN3(HardState state)
    {
        var config = new ClusterConfig { Self = 1, Members = [1, 2, 3] };
        var node = new ZabNode(config, state, new Random(1));
        var round = node.TakeReady().Messages.OfType<Notification>().First().Round;
        foreach (var voter in new[] { 2, 3 })
        {
            node.Step(new Notification
            {
                From = voter,
                To = 1,
                Round = round,
                Vote = new Vote(3, state.Term + 1, 0),
                State = ServerState.Looking,
            });
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
    public void Given_a_follower_When_its_leader_proposes_a_newer_epoch_Then_it_persists_it_in_the_batch_that_acks_it()
    {
        // "if e' > F.acceptedEpoch then F.acceptedEpoch ← e' // stored to non-volatile memory;
        // send ACKEPOCH" (Zab paper, Algorithm 1). A Ready is persisted before its messages leave.
        var (node, concluded) = FollowingN3(HardState.Empty);
        Assert.Contains(new FollowerInfo { From = 1, To = 3, AcceptedEpoch = 0 }, concluded.Messages);

        node.Step(new NewEpoch { From = 3, To = 1, Epoch = 1 });
        var ready = node.TakeReady();

        Assert.Equal(1, ready.Persist!.Values![ZabNode.AcceptedEpochKey]);
        Assert.Equal(
            new AckEpoch { From = 1, To = 3, Epoch = 1, NewlyAccepted = true },
            Assert.Single(ready.Messages));
    }

    [Fact]
    public void Given_a_follower_that_accepted_an_epoch_before_When_it_is_proposed_again_Then_its_ack_does_not_count()
    {
        // "since we have already acked an epoch equal to the leaders, we cannot ack again" (ZooKeeper's Learner).
        var (node, _) = FollowingN3(Accepted(1));

        node.Step(new NewEpoch { From = 3, To = 1, Epoch = 1 });
        var ready = node.TakeReady();

        Assert.Null(ready.Persist);
        Assert.Equal(
            new AckEpoch { From = 1, To = 3, Epoch = 1, NewlyAccepted = false },
            Assert.Single(ready.Messages));
    }

    [Fact]
    public void Given_a_follower_that_took_a_newer_epoch_When_an_older_one_is_proposed_Then_it_seeks_a_leader_again()
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
    public void Given_a_node_restarted_with_saved_epochs_When_it_seeks_a_leader_Then_it_votes_with_its_epoch_and_zxid()
    {
        // The vote carries the current epoch and the zxid of the last write logged: (epoch << 32 | counter).
        var lastZxid = (3L << 32) | 7;
        var state = new HardState
        {
            Term = 3,
            Values = new Dictionary<string, long> { [ZabNode.AcceptedEpochKey] = 4, [ZabNode.LastZxidKey] = lastZxid },
        };

        var node = new ZabNode(new ClusterConfig { Self = 1, Members = [1, 2, 3] }, state, new Random(1));

        Assert.Equal(new NodeStatus { Role = Role.Candidate, Term = 3, Leader = null }, node.Status);
        Assert.All(
            node.TakeReady().Messages,
            m => Assert.Equal(new Vote(1, 3, lastZxid), Assert.IsType<Notification>(m).Vote));
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
        Message sent = new Notification
        {
            From = 1,
            To = 2,
            Round = 3,
            Vote = new Vote(5, 4, (4L << 32) | 2),
            State = ServerState.Following,
        };

        var back = JsonSerializer.Deserialize<Message>(JsonSerializer.Serialize(sent, Wire.Json), Wire.Json);

        Assert.Equal(sent, back);
    }
}
