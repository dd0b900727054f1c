namespace Coup.Nodes.Bully;

/// <summary>
/// The Bully algorithm as seed 004 describes it: a process that misses its leader sends an
/// election message to every higher rank; if any answers, it asks the highest that answered to
/// proceed; if none answers, it takes the lead and tells the others. Ranks are node ids. The
/// term is the election counter: each election takes one more than the highest seen.
/// Nothing here needs a majority, which is why a partition elects a leader on each side.
/// </summary>
public sealed class BullyNode : IElectionNode
{
    private enum Phase { Idle, AwaitingAnswers, AwaitingCoordinator }

    private readonly ClusterConfig _config;
    private readonly Random _random;
    private Ready _ready = new();

    private long _term;
    private Role _role = Role.Follower;
    private int? _leader;
    private Phase _phase = Phase.Idle;
    private int _elapsedTicks;
    private int _timeoutTicks;
    private readonly SortedSet<int> _answeredBy = [];

    public BullyNode(ClusterConfig config, HardState state, Random random)
    {
        _config = config;
        _random = random;
        _term = state.Term;
        ResetLeaderTimer();
    }

    public int Id => _config.Self;

    public NodeStatus Status => new() { Role = _role, Term = _term, Leader = _leader };

    /// <summary>Long enough for an election message and its answer to make the round trip.</summary>
    private int AnswerTimeoutTicks => 2 * _config.HeartbeatTicks;

    public void Tick()
    {
        _elapsedTicks++;
        if (_role == Role.Leader)
        {
            if (_elapsedTicks >= _config.HeartbeatTicks)
            {
                BroadcastCoordinator();
            }
            return;
        }
        if (_elapsedTicks < _timeoutTicks)
        {
            return;
        }
        switch (_phase)
        {
            case Phase.AwaitingAnswers when _answeredBy.Count > 0:
                // "Ask the highest process it knows of to carry on" (seed 004, step 2).
                Send(new Proceed { From = Id, To = _answeredBy.Max, Term = _term });
                _phase = Phase.AwaitingCoordinator;
                _elapsedTicks = 0;
                _timeoutTicks = _config.ElectionTicksMax;
                break;
            case Phase.AwaitingAnswers:
                // "If nobody answers, it assumes no higher process is alive" (seed 004, step 3).
                BecomeLeader();
                break;
            default:
                StartElection();
                break;
        }
    }

    public void Step(Message message)
    {
        switch (message)
        {
            case Election election:
                ObserveTerm(election.Term);
                Send(new Answer { From = Id, To = election.From, Term = _term });
                if (_role == Role.Leader)
                {
                    Send(new Coordinator { From = Id, To = election.From, Term = _term });
                }
                break;
            case Answer answer when _phase == Phase.AwaitingAnswers:
                ObserveTerm(answer.Term);
                _answeredBy.Add(answer.From);
                break;
            case Proceed proceed:
                ObserveTerm(proceed.Term);
                if (_role == Role.Leader)
                {
                    BroadcastCoordinator();
                }
                else if (_phase != Phase.AwaitingAnswers)
                {
                    StartElection();
                }
                break;
            case Coordinator coordinator:
                HandleCoordinator(coordinator);
                break;
        }
    }

    public void ProposeWrite(long writeId)
    {
        // Nothing to confirm with: a Bully leader acknowledges on its own say-so.
        _ready.AnswerAtOnce(writeId, Status);
    }

    public Ready TakeReady() => Ready.Take(ref _ready);

    private void HandleCoordinator(Coordinator coordinator)
    {
        if (coordinator.From < Id)
        {
            // A lower rank leads: bully it by holding an election of our own.
            ObserveTerm(coordinator.Term);
            if (_role != Role.Leader && _phase != Phase.AwaitingAnswers)
            {
                StartElection();
            }
            else if (_role == Role.Leader)
            {
                BecomeLeader();
            }
            return;
        }
        var changed = _role != Role.Follower
            || _leader != coordinator.From
            || _term != Math.Max(_term, coordinator.Term);
        ObserveTerm(coordinator.Term);
        _role = Role.Follower;
        _leader = coordinator.From;
        _phase = Phase.Idle;
        ResetLeaderTimer();
        if (changed)
        {
            AnnounceStatus();
        }
    }

    private void StartElection()
    {
        _term++;
        Persist();
        _role = Role.Candidate;
        _leader = null;
        _answeredBy.Clear();
        AnnounceStatus();
        var higher = _config.Members.Where(m => m > Id).ToList();
        if (higher.Count == 0)
        {
            BecomeLeader();
            return;
        }
        foreach (var peer in higher)
        {
            Send(new Election { From = Id, To = peer, Term = _term });
        }
        _phase = Phase.AwaitingAnswers;
        _elapsedTicks = 0;
        _timeoutTicks = AnswerTimeoutTicks;
    }

    private void BecomeLeader()
    {
        if (_role != Role.Candidate)
        {
            // Reasserting against a lower leader is a new election of its own.
            _term++;
            Persist();
        }
        _role = Role.Leader;
        _leader = Id;
        _phase = Phase.Idle;
        AnnounceStatus();
        BroadcastCoordinator();
    }

    private void BroadcastCoordinator()
    {
        _elapsedTicks = 0;
        foreach (var peer in _config.Peers)
        {
            Send(new Coordinator { From = Id, To = peer, Term = _term });
        }
    }

    private void ObserveTerm(long term)
    {
        if (term > _term)
        {
            _term = term;
            Persist();
            AnnounceStatus();
        }
    }

    private void ResetLeaderTimer()
    {
        _elapsedTicks = 0;
        _timeoutTicks = _random.Next(_config.ElectionTicksMin, _config.ElectionTicksMax + 1);
    }

    private void Send(Message message) => _ready.Send(message);

    private void Persist() => _ready.Persist = new HardState { Term = _term };

    private void AnnounceStatus() => _ready.Announce(Status);
}
