namespace Coup.Nodes.CandidateOrdinary;

/// <summary>
/// Candidate and ordinary nodes, as seed 004 describes them: only candidates may lead. Any node
/// that misses the leader sends an election message to every candidate; a candidate that gets one
/// waits a delay that is shorter the higher its rank, with steps longer than a round trip, and
/// then claims the lead and broadcasts it, unless a higher candidate's claim reached it first. So
/// the highest live candidate wins and lower ones never run concurrent elections.
/// <para>
/// The candidates are the highest ceil(n/2) ids (n2 and n3 of three nodes, n3 to n5 of five), so
/// every cluster of two or more has ordinary nodes. Ranks are ids. The term counts the elections:
/// a claim takes one more than the highest the candidate has seen. Claims are ordered by (term,
/// id); a node follows the newer one. Nothing needs a majority, so each side of a partition that
/// holds a candidate elects a leader, and a side with none has no leader at all.
/// </para>
/// </summary>
public sealed class CandidateOrdinaryNode : IElectionNode
{
    private readonly ClusterConfig _config;
    private readonly Random _random;
    private readonly IReadOnlyList<int> _candidates;
    private Ready _ready = new();

    private long _term;
    private Role _role = Role.Follower;
    private int? _leader;
    private int _silentTicks;
    private int _silentTimeoutTicks;
    private int _heartbeatElapsedTicks;
    /// <summary>Ticks since this candidate was asked to stand; null while it is not standing.</summary>
    private int? _standingTicks;

    public CandidateOrdinaryNode(ClusterConfig config, HardState state, Random random)
    {
        _config = config;
        _random = random;
        _term = state.Term;
        _candidates = CandidatesOf(config.Members);
        ResetSilentTimer();
    }

    /// <summary>The highest ceil(n/2) ids, highest first.</summary>
    public static IReadOnlyList<int> CandidatesOf(IReadOnlyList<int> members) =>
        [.. members.OrderDescending().Take((members.Count + 1) / 2)];

    public int Id => _config.Self;

    public NodeStatus Status => new() { Role = _role, Term = _term, Leader = _leader };

    private bool IsCandidate => _candidates.Contains(Id);

    /// <summary>
    /// "딜레이 시간은 높은 순위를 가지는 노드일 수록 작고 노드간 차이가 메시지가
    /// 노드간 왕복 이동 시간 보다 크기 때문에" (seed 004: the delay is smaller for higher ranks, and
    /// the difference between nodes is larger than a round trip): a heartbeat interval per candidate ranked above this
    /// one.
    /// </summary>
    private int StandingDelayTicks => _candidates.TakeWhile(c => c != Id).Count() * _config.HeartbeatTicks;

    public void Tick()
    {
        if (_role == Role.Leader)
        {
            _heartbeatElapsedTicks++;
            if (_heartbeatElapsedTicks >= _config.HeartbeatTicks)
            {
                BroadcastCoordinator();
            }
            return;
        }
        if (_standingTicks is { } standing)
        {
            _standingTicks = standing + 1;
            if (_standingTicks >= StandingDelayTicks)
            {
                Claim();
                return;
            }
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
            case Coordinator coordinator:
                HandleCoordinator(coordinator);
                break;
            default:
                throw new ArgumentException(
                    $"candidate-ordinary cannot handle {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>Nothing to confirm with: the leader acknowledges on its own say-so, as Bully's does.</summary>
    public void ProposeWrite(long writeId) =>
        _ready.AnswerAtOnce(writeId, Status);

    public Ready TakeReady() => Ready.Take(ref _ready);

    /// <summary>
    /// A node that misses its leader asks every candidate, itself
    /// included when it is one, and asks again if no claim comes.
    /// </summary>
    private void StartElection()
    {
        ResetSilentTimer();
        if (_leader is not null)
        {
            _leader = null;
            AnnounceStatus();
        }
        foreach (var candidate in _candidates.Where(c => c != Id))
        {
            Send(new Election { From = Id, To = candidate, Term = _term });
        }
        if (IsCandidate)
        {
            Stand();
        }
    }

    private void HandleElection(Election election)
    {
        if (_role == Role.Leader)
        {
            if (election.Term > _term)
            {
                // The asker has seen a newer term than this leader's: lead again in a term above it.
                _term = election.Term;
                Claim();
            }
            else
            {
                // Alive after all: an early heartbeat stops the asker and every standing candidate.
                BroadcastCoordinator();
            }
            return;
        }
        if (election.Term > _term)
        {
            _term = election.Term;
            _leader = null;
            Persist();
            AnnounceStatus();
        }
        if (IsCandidate)
        {
            Stand();
        }
    }

    /// <summary>
    /// Starts this candidate's delay, once per election: more requests while it waits change nothing.
    /// </summary>
    private void Stand()
    {
        if (_standingTicks is not null)
        {
            return;
        }
        _standingTicks = 0;
        _role = Role.Candidate;
        _leader = null;
        AnnounceStatus();
        if (StandingDelayTicks == 0)
        {
            Claim();
        }
    }

    /// <summary>
    /// "응답한 가장 높은 순위의 노드를 리더로 선출한다" (seed 004: the highest-ranked node
    /// that answers is elected): a candidate's answer is its claim.
    /// </summary>
    private void Claim()
    {
        _term++;
        Persist();
        _role = Role.Leader;
        _leader = Id;
        _standingTicks = null;
        AnnounceStatus();
        BroadcastCoordinator();
    }

    private void BroadcastCoordinator()
    {
        _heartbeatElapsedTicks = 0;
        foreach (var peer in _config.Peers)
        {
            Send(new Coordinator { From = Id, To = peer, Term = _term });
        }
    }

    /// <summary>
    /// A claim at least as new as ours (by term, then id) is followed; a leader answers an older one with its own.
    /// </summary>
    private void HandleCoordinator(Coordinator coordinator)
    {
        var current = coordinator.Term > _term || (coordinator.Term == _term && coordinator.From >= (_leader ?? 0));
        if (!current)
        {
            if (_role == Role.Leader)
            {
                Send(new Coordinator { From = Id, To = coordinator.From, Term = _term });
            }
            return;
        }
        var changed = _role != Role.Follower || _leader != coordinator.From || _term != coordinator.Term;
        if (coordinator.Term != _term)
        {
            _term = coordinator.Term;
            Persist();
        }
        _role = Role.Follower;
        _leader = coordinator.From;
        _standingTicks = null;
        ResetSilentTimer();
        if (changed)
        {
            AnnounceStatus();
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
