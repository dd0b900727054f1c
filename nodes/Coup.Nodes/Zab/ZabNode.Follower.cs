namespace Coup.Nodes.Zab;

/// <summary>A follower: accepts its leader's epoch, then answers its pings until they stop.</summary>
public sealed partial class ZabNode
{
    private void BeginFollowing()
    {
        _state = ServerState.Following;
        _established = false;
        ResetSyncLimit();
        SendFollowerInfo();
    }

    private void TickFollowing()
    {
        if (_elapsedTicks >= _syncLimitTicks)
        {
            // Nothing from the leader within the sync limit: it is gone, or we are cut off.
            StartLooking();
            return;
        }
        if (!_established && _elapsedTicks % _config.HeartbeatTicks == 0)
        {
            // The leader may still have been in its finalize wait, and dropped our FOLLOWERINFO.
            SendFollowerInfo();
        }
    }

    private void SendFollowerInfo() =>
        Send(new FollowerInfo { From = Id, To = _vote.Leader, AcceptedEpoch = _acceptedEpoch });

    /// <summary>
    /// "Upon receiving NEWEPOCH(e') from L: if e' &gt; F.acceptedEpoch then F.acceptedEpoch ← e'
    /// (stored to non-volatile memory), send ACKEPOCH to L; else if e' &lt; F.acceptedEpoch then
    /// F.state ← election" (Zab paper, Algorithm 1). An epoch already accepted is acknowledged
    /// without counting: "since we have already acked an epoch equal to the leaders, we cannot ack
    /// again" (ZooKeeper, Learner.registerWithLeader).
    /// </summary>
    private void HandleNewEpoch(NewEpoch proposal)
    {
        if (proposal.Epoch < _acceptedEpoch)
        {
            StartLooking();
            return;
        }
        var newly = proposal.Epoch > _acceptedEpoch;
        if (newly)
        {
            _acceptedEpoch = proposal.Epoch;
            PersistHardState();
        }
        Send(new AckEpoch { From = Id, To = proposal.From, Epoch = proposal.Epoch, NewlyAccepted = newly });
    }

    /// <summary>
    /// The first ping of the accepted epoch stands for NEWLEADER(e'): "if F.acceptedEpoch = e' then
    /// F.currentEpoch ← e'" (Zab paper, Algorithm 2), and this node follows in it from then on.
    /// Every ping syncs the last zxid, logged before the answer.
    /// </summary>
    private void HandlePing(Ping ping)
    {
        if (ping.Epoch != _acceptedEpoch)
        {
            return;
        }
        if (!_established || _lastZxid != ping.Zxid)
        {
            _established = true;
            _currentEpoch = ping.Epoch;
            _lastZxid = ping.Zxid;
            PersistHardState();
        }
        ResetSyncLimit();
        Send(new PingAck { From = Id, To = ping.From, Epoch = ping.Epoch, Sequence = ping.Sequence });
    }
}
