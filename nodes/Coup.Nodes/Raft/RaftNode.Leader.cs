namespace Coup.Nodes.Raft;

public sealed partial class RaftNode
{
    /// <summary>
    /// Writes waiting for a majority to answer a heartbeat sent after them; the heartbeats' sequence numbers.
    /// </summary>
    private readonly QuorumRounds _rounds;
    private int _heartbeatElapsedTicks;

    private void BecomeLeader()
    {
        _role = Role.Leader;
        _leader = Id;
        _rounds.ForgetAnswers();
        _heartbeatElapsedTicks = 0;
        ResetQuorumActivity();
        AnnounceStatus();
        BroadcastHeartbeat();
    }

    private void TickLeader()
    {
        if (_options.CheckQuorum && !QuorumStillActive())
        {
            BecomeFollower(_term, null);
            return;
        }
        _heartbeatElapsedTicks++;
        if (_heartbeatElapsedTicks >= _config.HeartbeatTicks)
        {
            BroadcastHeartbeat();
        }
    }

    private void BroadcastHeartbeat()
    {
        _heartbeatElapsedTicks = 0;
        var sequence = _rounds.NextRound();
        foreach (var peer in _config.Peers)
        {
            Send(new Heartbeat { From = Id, To = peer, Term = _term, Sequence = sequence });
        }
    }

    /// <summary>A write waits for a majority to answer the heartbeat sent right after it.</summary>
    private void AcceptWrite(long writeId)
    {
        BroadcastHeartbeat();
        _ready.Acknowledge(_rounds.Hold(writeId), Status);
    }

    private void HandleHeartbeatResponse(HeartbeatResponse response)
    {
        MarkActive(response.From);
        _ready.Acknowledge(_rounds.Answered(response.From, response.Sequence), Status);
    }

    private void FailPendingWrites() => _ready.Reject(_rounds.Abandon());
}
