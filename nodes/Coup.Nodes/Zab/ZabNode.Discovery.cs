namespace Coup.Nodes.Zab;

/// <summary>The prospective leader's side of Zab's discovery phase (Phase 1 of the paper).</summary>
public sealed partial class ZabNode
{
    /// <summary>The accepted epoch each follower reported in FOLLOWERINFO, this node's own included.</summary>
    private readonly Dictionary<int, long> _acceptedEpochs = [];
    /// <summary>The epoch this node proposed, once a quorum had reported.</summary>
    private long? _proposedEpoch;
    /// <summary>The nodes that newly accepted the proposed epoch from this node, itself included.</summary>
    private readonly HashSet<int> _epochAcceptors = [];

    /// <summary>How long a prospective leader waits for its epoch to be established (ZooKeeper's initLimit).</summary>
    private int DiscoveryTicks => _config.ElectionTicksMax;

    private void BeginLeading()
    {
        _state = ServerState.Leading;
        _established = false;
        _elapsedTicks = 0;
        _acceptedEpochs.Clear();
        _acceptedEpochs[Id] = _acceptedEpoch;
        _proposedEpoch = null;
        _epochAcceptors.Clear();
        ForgetFollowers();
        ProposeEpochOnQuorum();
    }

    private void TickProspectiveLeader()
    {
        if (_elapsedTicks >= DiscoveryTicks)
        {
            StartLooking();
        }
    }

    private void HandleFollowerInfo(FollowerInfo info)
    {
        MarkHeard(info.From);
        if (_proposedEpoch is { } epoch)
        {
            // A latecomer, or a retry: the epoch is decided, and it has only to accept it.
            Send(new NewEpoch { From = Id, To = info.From, Epoch = epoch });
            return;
        }
        _acceptedEpochs[info.From] = info.AcceptedEpoch;
        ProposeEpochOnQuorum();
    }

    /// <summary>
    /// "Upon receiving FOLLOWERINFO(e) messages from a quorum Q of connected followers: make epoch
    /// number e' such that e' &gt; e for all e received through FOLLOWERINFO(e); propose NEWEPOCH(e')
    /// to all followers in Q" (Zab paper, Algorithm 1). The leader accepts e' itself first.
    /// </summary>
    private void ProposeEpochOnQuorum()
    {
        if (_acceptedEpochs.Count < _config.Quorum)
        {
            return;
        }
        var epoch = _acceptedEpochs.Values.Max() + 1;
        _proposedEpoch = epoch;
        _acceptedEpoch = epoch;
        _epochAcceptors.Add(Id);
        PersistHardState();
        foreach (var follower in _acceptedEpochs.Keys.Where(f => f != Id))
        {
            Send(new NewEpoch { From = Id, To = follower, Epoch = epoch });
        }
        if (_claimsEarly)
        {
            // The flaw: the epoch is claimed before any follower has accepted it.
            Establish();
        }
        else
        {
            EstablishOnQuorum();
        }
    }

    private void HandleAckEpoch(AckEpoch ack)
    {
        if (ack.Epoch != _proposedEpoch)
        {
            return;
        }
        AddFollower(ack.From);
        if (ack.NewlyAccepted)
        {
            _epochAcceptors.Add(ack.From);
        }
        if (!_established)
        {
            EstablishOnQuorum();
        }
    }

    /// <summary>
    /// Each node newly accepts an epoch at most once (it persists the promise before it acks), so
    /// two quorums of new acceptances of one epoch would share a node: one leader per epoch.
    /// </summary>
    private void EstablishOnQuorum()
    {
        if (_epochAcceptors.Count >= _config.Quorum)
        {
            Establish();
        }
    }
}
