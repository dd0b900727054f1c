namespace Coup.Nodes.Ring;

/// <summary>
/// The ring algorithm of seeds 000 and 004: the nodes form a logical ring in id order. A node
/// that misses the leader sends an election message to its successor; each node adds its id and
/// passes it on; when it comes back to the node that started it, that node announces the highest
/// id it collected to every peer. A node acknowledges each election message it receives, and a
/// sender that gets no acknowledgement within <see cref="AckTimeoutTicks"/> skips that successor
/// for the next one, so dead nodes drop out of the ring.
/// <para>
/// Several nodes may start at once: a node whose own election is still going round swallows the
/// messages of lower initiators (Chang and Roberts), so only the highest initiator's message
/// completes; a node that passes an election on waits for its outcome instead of starting its own.
/// The term is the election counter, one more than the highest term the message met; claims are
/// ordered by (term, id) and a node follows the newer. Nothing needs a majority, so the ring
/// closes on each side of a partition and each side elects a leader.
/// </para>
/// </summary>
public sealed class RingNode : IElectionNode
{
    /// <summary>An election message this node passed on and is waiting to see acknowledged.</summary>
    private sealed record Forwarding(Election Message, int Target, int ElapsedTicks);

    private readonly ClusterConfig _config;
    private readonly Random _random;
    private readonly int[] _ring;
    private Ready _ready = new();

    private long _term;
    private Role _role = Role.Follower;
    private int? _leader;
    private int _silentTicks;
    private int _silentTimeoutTicks;
    private int _heartbeatElapsedTicks;
    /// <summary>Whether an election this node started is still going round.</summary>
    private bool _electing;
    private Forwarding? _forwarding;

    public RingNode(ClusterConfig config, HardState state, Random random)
    {
        _config = config;
        _random = random;
        _term = state.Term;
        _ring = [.. config.Members.Order()];
        ResetSilentTimer();
    }

    public int Id => _config.Self;

    public NodeStatus Status => new() { Role = _role, Term = _term, Leader = _leader };

    /// <summary>
    /// Long enough for an election message and its acknowledgement to make the round trip, several times over.
    /// </summary>
    private int AckTimeoutTicks => _config.HeartbeatTicks;

    /// <summary>
    /// "모든 노드는 링 형태로 연결돼 있고 각 노드는 토폴로지에 대한 정보를 알고있다"
    /// (seed 004: every node knows the ring).
    /// </summary>
    private int SuccessorOf(int node) => _ring[(Array.IndexOf(_ring, node) + 1) % _ring.Length];

    public void Tick()
    {
        if (_forwarding is { } forwarding)
        {
            _forwarding = forwarding with { ElapsedTicks = forwarding.ElapsedTicks + 1 };
            if (_forwarding.ElapsedTicks >= AckTimeoutTicks)
            {
                PassOn(forwarding.Message, SuccessorOf(forwarding.Target));
            }
        }
        if (_role == Role.Leader)
        {
            _heartbeatElapsedTicks++;
            if (_heartbeatElapsedTicks >= _config.HeartbeatTicks)
            {
                BroadcastHeartbeat();
            }
            return;
        }
        _silentTicks++;
        if (_silentTicks >= _silentTimeoutTicks)
        {
            StartElection();
        }
    }

    public void Step(Message message)
    {
        switch (message)
        {
            case Election election:
                HandleElection(election);
                break;
            case ElectionAck ack when _forwarding?.Target == ack.From:
                _forwarding = null;
                break;
            case ElectionAck:
                break;
            case Coordinator coordinator:
                HandleCoordinator(coordinator);
                break;
            default:
                throw new ArgumentException($"ring cannot handle {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>Nothing to confirm with: the leader acknowledges on its own say-so, as Bully's does.</summary>
    public void ProposeWrite(long writeId) =>
        _ready.AnswerAtOnce(writeId, Status);

    public Ready TakeReady() => Ready.Take(ref _ready);

    /// <summary>
    /// "리더 프로세스에 장애를 감지한 프로세스는 선출 시작 메시지를 전달한다" (seed 004:
    /// the process that detects the failure sends the election message).
    /// </summary>
    private void StartElection()
    {
        ResetSilentTimer();
        _electing = true;
        _role = Role.Candidate;
        _leader = null;
        AnnounceStatus();
        PassOn(new Election { From = Id, To = Id, Initiator = Id, Term = _term + 1, Ids = [Id] }, SuccessorOf(Id));
    }

    private void HandleElection(Election election)
    {
        Send(new ElectionAck { From = Id, To = election.From });
        var ids = election.Ids ?? [];
        if (election.Initiator == Id)
        {
            if (_electing)
            {
                Complete(election);
            }
            return;
        }
        if (ids.Contains(Id) || (_electing && election.Initiator < Id))
        {
            // Round once already without meeting its initiator (gone), or outranked by this node's own election.
            return;
        }
        ResetSilentTimer();
        PassOn(election with { Ids = [.. ids, Id], Term = Math.Max(election.Term, _term + 1) }, SuccessorOf(Id));
    }

    /// <summary>
    /// "각 프로세스는 전달 받은 메시지를 다음 프로세스에 전달한다" (seed 004: each process
    /// passes the message to the next). Skipping round to itself means nobody else answered: the initiator
    /// ends its election with what it has; anyone else drops the message, and its own timer will
    /// start a fresh election.
    /// </summary>
    private void PassOn(Election election, int target)
    {
        _forwarding = null;
        if (target == Id)
        {
            if (election.Initiator == Id && _electing)
            {
                Complete(election);
            }
            return;
        }
        Send(election with { From = Id, To = target });
        _forwarding = new Forwarding(election, target, 0);
    }

    /// <summary>
    /// "시작한 노드로 다시 돌아오면 메시지에 포함된 노드 정보를 보고 가장 순위가 높은
    /// 노드를 리더로 선출한다" (seed 004: back at the node that started it, the highest-ranked node in the
    /// message is elected).
    /// </summary>
    private void Complete(Election election)
    {
        _electing = false;
        var winner = (election.Ids ?? []).Append(Id).Max();
        foreach (var peer in _config.Peers)
        {
            Send(new Coordinator { From = Id, To = peer, Leader = winner, Term = election.Term });
        }
        Adopt(winner, election.Term);
    }

    /// <summary>
    /// A claim at least as new as ours (by term, then id) is followed; a leader answers an older one with its own.
    /// </summary>
    private void HandleCoordinator(Coordinator coordinator)
    {
        if (coordinator.Term > _term || (coordinator.Term == _term && coordinator.Leader >= (_leader ?? 0)))
        {
            Adopt(coordinator.Leader, coordinator.Term);
        }
        else if (_role == Role.Leader)
        {
            Send(new Coordinator { From = Id, To = coordinator.From, Leader = Id, Term = _term });
        }
    }

    private void Adopt(int leader, long term)
    {
        var role = leader == Id ? Role.Leader : Role.Follower;
        var changed = _role != role || _leader != leader || _term != term;
        if (term != _term)
        {
            _term = term;
            Persist();
        }
        if (role == Role.Leader && _role != Role.Leader)
        {
            _heartbeatElapsedTicks = 0;
        }
        _role = role;
        _leader = leader;
        _electing = false;
        ResetSilentTimer();
        if (changed)
        {
            AnnounceStatus();
        }
    }

    private void BroadcastHeartbeat()
    {
        _heartbeatElapsedTicks = 0;
        foreach (var peer in _config.Peers)
        {
            Send(new Coordinator { From = Id, To = peer, Leader = Id, Term = _term });
        }
    }

    private void ResetSilentTimer()
    {
        _silentTicks = 0;
        _silentTimeoutTicks = _random.Next(_config.ElectionTicksMin, _config.ElectionTicksMax + 1);
    }

    private void Send(Message message) => _ready.Send(message);

    private void Persist() => _ready.Persist = new HardState { Term = _term };

    private void AnnounceStatus() => _ready.Announce(Status);
}
