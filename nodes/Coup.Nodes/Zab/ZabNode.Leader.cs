namespace Coup.Nodes.Zab;

/// <summary>An established leader: pings, keeps its quorum or steps down, acknowledges writes.</summary>
public sealed partial class ZabNode
{
    private const int ZxidEpochShift = 32;

    /// <summary>The nodes that acknowledged this leader's epoch: it pings them, and their answers confirm
    /// writes.</summary>
    private readonly HashSet<int> _followers = [];
    /// <summary>For each node that reported to this leader (FOLLOWERINFO, ACKEPOCH, ping answers), the ticks since it
    /// last did.</summary>
    private readonly Dictionary<int, int> _ticksSinceHeard = [];
    /// <summary>Writes waiting for a quorum to answer a ping sent after them; the pings' sequence numbers.</summary>
    private readonly QuorumRounds _rounds;
    private int _pingElapsedTicks;

    private void ForgetFollowers()
    {
        _followers.Clear();
        _ticksSinceHeard.Clear();
        _rounds.ForgetAnswers();
    }

    private void AddFollower(int follower)
    {
        _followers.Add(follower);
        MarkHeard(follower);
    }

    private void MarkHeard(int peer) => _ticksSinceHeard[peer] = 0;

    /// <summary>The epoch it proposed (and accepted itself) is in force: persisted as the current one, then claimed
    /// and pinged.</summary>
    private void Establish()
    {
        _currentEpoch = _acceptedEpoch;
        _established = true;
        PersistHardState();
        BroadcastPing();
    }

    private void TickLeader()
    {
        if (!QuorumStillSynced())
        {
            StartLooking();
            return;
        }
        _pingElapsedTicks++;
        if (_pingElapsedTicks >= _config.HeartbeatTicks)
        {
            BroadcastPing();
        }
    }

    /// <summary>
    /// ZooKeeper's leader shuts down when fewer than a quorum of followers are in sync with it.
    /// Here a node is in sync if it reported within the shortest time a follower waits before it
    /// looks for a new leader, so an isolated leader gives up before the others can replace it.
    /// </summary>
    private bool QuorumStillSynced()
    {
        foreach (var peer in _config.Peers)
        {
            if (_ticksSinceHeard.TryGetValue(peer, out var ticks))
            {
                _ticksSinceHeard[peer] = ticks + 1;
            }
        }
        var synced = QuorumActivity.Counted(_ticksSinceHeard.Values, _config.ElectionTicksMin);
        return synced >= _config.Quorum;
    }

    private void BroadcastPing()
    {
        _pingElapsedTicks = 0;
        var sequence = _rounds.NextRound();
        foreach (var follower in _followers)
        {
            Send(new Ping { From = Id, To = follower, Epoch = _currentEpoch, Sequence = sequence, Zxid = _lastZxid });
        }
    }

    private void HandlePingAck(PingAck ack)
    {
        if (ack.Epoch != _currentEpoch || !_followers.Contains(ack.From))
        {
            return;
        }
        MarkHeard(ack.From);
        _ready.Acknowledge(_rounds.Answered(ack.From, ack.Sequence), Status);
    }

    /// <summary>
    /// A write gets the next zxid of this epoch, (epoch &lt;&lt; 32 | counter), and waits for a quorum
    /// to answer the ping that carries it: then a quorum has logged it, and any later election
    /// prefers a node that did. The broken variant acknowledges it at once.
    /// </summary>
    private void AcceptWrite(long writeId)
    {
        _lastZxid = _lastZxid >> ZxidEpochShift == _currentEpoch
            ? _lastZxid + 1
            : (_currentEpoch << ZxidEpochShift) | 1;
        PersistHardState();
        BroadcastPing();
        if (_claimsEarly)
        {
            _ready.Acknowledge(writeId, Status);
            return;
        }
        _ready.Acknowledge(_rounds.Hold(writeId), Status);
    }

    /// <summary>A leader that stops leading answers every write still waiting: not acknowledged.</summary>
    private void FailPendingWrites() => _ready.Reject(_rounds.Abandon());
}
