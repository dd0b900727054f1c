namespace Coup.Nodes.Raft;

public sealed partial class RaftNode
{
    private readonly Dictionary<int, long> _confirmedSequence = [];
    private readonly List<(long WriteId, long Sequence)> _pendingWrites = [];
    private long _heartbeatSequence;
    private int _heartbeatElapsedTicks;

    private void BecomeLeader()
    {
        _role = Role.Leader;
        _leader = Id;
        _confirmedSequence.Clear();
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
        _heartbeatSequence++;
        foreach (var peer in _config.Peers)
        {
            Send(new Heartbeat { From = Id, To = peer, Term = _term, Sequence = _heartbeatSequence });
        }
    }

    /// <summary>A write waits for a majority to answer the heartbeat sent right after it.</summary>
    private void AcceptWrite(long writeId)
    {
        BroadcastHeartbeat();
        _pendingWrites.Add((writeId, _heartbeatSequence));
        AcknowledgeConfirmedWrites();
    }

    private void HandleHeartbeatResponse(HeartbeatResponse response)
    {
        MarkActive(response.From);
        var previous = _confirmedSequence.GetValueOrDefault(response.From);
        _confirmedSequence[response.From] = Math.Max(previous, response.Sequence);
        AcknowledgeConfirmedWrites();
    }

    private void AcknowledgeConfirmedWrites()
    {
        if (_pendingWrites.Count == 0)
        {
            return;
        }
        // The quorum-th highest confirmation (counting our own, which confirms everything).
        var confirmations = _confirmedSequence.Values.Append(long.MaxValue).OrderDescending().ToList();
        var committed = confirmations.Count >= _config.Quorum ? confirmations[_config.Quorum - 1] : 0;
        foreach (var write in _pendingWrites.Where(w => w.Sequence <= committed))
        {
            _ready.Acknowledge(write.WriteId, Status);
        }
        _pendingWrites.RemoveAll(w => w.Sequence <= committed);
    }

    private void FailPendingWrites()
    {
        _ready.RejectedWrites.AddRange(_pendingWrites.Select(w => w.WriteId));
        _pendingWrites.Clear();
    }
}
