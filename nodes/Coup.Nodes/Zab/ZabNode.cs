namespace Coup.Nodes.Zab;

/// <summary>
/// ZooKeeper's fast leader election followed by Zab's discovery phase (Junqueira, Reed and
/// Serafini, "Zab: High-performance broadcast for primary-backup systems", 2011), without a log.
/// A looking node votes by (epoch, zxid, id); the winner collects the accepted epochs of a quorum,
/// proposes one more than the highest, and leads only once a quorum has newly accepted it.
/// Status: a candidate while looking or in discovery, the leader once its epoch is established,
/// a follower from the leader's first ping in that epoch; the term is the current epoch.
/// Heartbeats keep followers and leader together: a follower that misses them, or a leader that
/// loses its quorum, goes back to looking. Writes are acknowledged once a quorum has logged their
/// zxid (answered a ping sent after them). With <c>claimsEarly</c> the leader claims its epoch
/// before anyone has accepted it and acknowledges writes on its own: the broken variant.
/// </summary>
public sealed partial class ZabNode : IElectionNode
{
    public const string AcceptedEpochKey = "acceptedEpoch";
    public const string LastZxidKey = "lastZxid";

    private readonly ClusterConfig _config;
    private readonly Random _random;
    private readonly bool _claimsEarly;
    private Ready _ready = new();
    private NodeStatus _announced;
    private NodeStatus? _status;

    // Persisted: Zab's current epoch (f.a), accepted epoch (f.p) and the zxid of the last write logged.
    private long _currentEpoch;
    private long _acceptedEpoch;
    private long _lastZxid;

    private ServerState _state = ServerState.Looking;
    /// <summary>Whether the epoch is in force: only then does a leading or following node say so.</summary>
    private bool _established;
    private int _elapsedTicks;
    private int _syncLimitTicks;

    public ZabNode(ClusterConfig config, HardState state, Random random, bool claimsEarly = false)
    {
        _config = config;
        _rounds = new QuorumRounds(config.Quorum);
        _random = random;
        _claimsEarly = claimsEarly;
        _currentEpoch = state.Term;
        _acceptedEpoch = Math.Max(_currentEpoch, state.Values?.GetValueOrDefault(AcceptedEpochKey) ?? 0);
        _lastZxid = state.Values?.GetValueOrDefault(LastZxidKey) ?? 0;
        // The host announces the boot status itself; the first votes leave with the first batch.
        _announced = Status;
        StartLooking();
    }

    public int Id => _config.Self;

    /// <summary>The status as the node stands; the last one made while it still does (asked after a step).</summary>
    public NodeStatus Status => NodeStatus.Reused(ref _status,
        !_established ? Role.Candidate : _state == ServerState.Leading ? Role.Leader : Role.Follower,
        _currentEpoch, _established ? _vote.Leader : null);

    public void Tick()
    {
        _elapsedTicks++;
        switch (_state)
        {
            case ServerState.Looking:
                TickLooking();
                break;
            case ServerState.Following:
                TickFollowing();
                break;
            case ServerState.Leading when _established:
                TickLeader();
                break;
            case ServerState.Leading:
                TickProspectiveLeader();
                break;
        }
    }

    /// <summary>Messages meant for a state this node has left are dropped: their senders retry or time out.</summary>
    public void Step(Message message)
    {
        switch (message)
        {
            case Notification notification:
                HandleNotification(notification);
                break;
            case FollowerInfo info when _state == ServerState.Leading:
                HandleFollowerInfo(info);
                break;
            case AckEpoch ack when _state == ServerState.Leading:
                HandleAckEpoch(ack);
                break;
            case NewEpoch epoch when _state == ServerState.Following && !_established && epoch.From == _vote.Leader:
                HandleNewEpoch(epoch);
                break;
            case Ping ping when _state == ServerState.Following && ping.From == _vote.Leader:
                HandlePing(ping);
                break;
            case PingAck ack when _state == ServerState.Leading && _established:
                HandlePingAck(ack);
                break;
        }
    }

    public void ProposeWrite(long writeId)
    {
        if (_state != ServerState.Leading || !_established)
        {
            _ready.Reject(writeId);
            return;
        }
        AcceptWrite(writeId);
    }

    /// <summary>Also announces the status if role, term or leader differ from the last one announced.</summary>
    public Ready TakeReady()
    {
        var status = Status;
        if (status != _announced)
        {
            _ready.Announce(status);
            _announced = status;
        }
        return Ready.Take(ref _ready);
    }

    /// <summary>How long a follower waits to hear from its leader, drawn anew each time it does.</summary>
    private void ResetSyncLimit()
    {
        _elapsedTicks = 0;
        _syncLimitTicks = _random.Next(_config.ElectionTicksMin, _config.ElectionTicksMax + 1);
    }

    private void Send(Message message) => _ready.Send(message);

    /// <summary>The whole hard state each time: the host keeps only the last one written.</summary>
    private void PersistHardState() => _ready.Persist = new HardState
    {
        Term = _currentEpoch,
        Values = new Dictionary<string, long>
        {
            [AcceptedEpochKey] = _acceptedEpoch,
            [LastZxidKey] = _lastZxid,
        },
    };
}
