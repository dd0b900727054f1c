namespace Coup.Nodes.Raft;

/// <summary>
/// Raft leader election (Ongaro and Ousterhout, section 5.2) without a log: terms, one vote per
/// term persisted before it is sent, randomized election timeouts and heartbeats. Writes are
/// acknowledged only once a majority of the leader's term has answered a heartbeat sent after
/// the write arrived, so a deposed leader cannot acknowledge one. <see cref="RaftOptions"/> adds
/// pre-vote and check-quorum, or one of the flaws the broken variants exist to show.
/// </summary>
public sealed partial class RaftNode : IElectionNode
{
    private readonly ClusterConfig _config;
    private readonly Random _random;
    private readonly RaftOptions _options;
    private Ready _ready = new();
    private NodeStatus? _status;

    private long _term;
    private int? _votedFor;
    private Role _role = Role.Follower;
    private int? _leader;
    private int _electionElapsedTicks;
    private int _electionTimeoutTicks;

    public RaftNode(ClusterConfig config, HardState state, Random random, RaftOptions? options = null)
    {
        _config = config;
        _rounds = new QuorumRounds(config.Quorum);
        _random = random;
        _options = options ?? RaftOptions.Plain;
        _term = state.Term;
        _votedFor = state.VotedFor;
        ResetElectionTimer();
    }

    public int Id => _config.Self;

    /// <summary>The status as role, term and leader stand; the last one made while they still do (asked on every
    /// answer a leader gets).</summary>
    public NodeStatus Status => NodeStatus.Reused(ref _status, _role, _term, _leader);

    public void Tick()
    {
        if (_role == Role.Leader)
        {
            TickLeader();
            return;
        }
        _electionElapsedTicks++;
        if (_electionElapsedTicks < _electionTimeoutTicks)
        {
            return;
        }
        if (_options.PreVote)
        {
            PreCampaign();
        }
        else
        {
            Campaign();
        }
    }

    public void Step(Message message)
    {
        if (message is PreVote or PreVoteResponse)
        {
            // Their terms are proposals, not news: they never move anyone to another term.
            StepPreVote(message);
            return;
        }
        var term = TermOf(message);
        if (term > _term)
        {
            if (message is RequestVote && _options.CheckQuorum && HeardFromLeaderRecently)
            {
                // The leader lease (thesis, section 4.2.3): "if a server receives a RequestVote
                // request within the minimum election timeout of hearing from a current leader,
                // it does not update its term or grant its vote."
                return;
            }
            // "If RPC request or response contains term T > currentTerm: set currentTerm = T,
            // convert to follower" (Figure 2). A heartbeat also tells us who leads.
            BecomeFollower(term, message is Heartbeat ? message.From : null);
        }
        else if (term < _term)
        {
            if (message is RequestVote stale && _options.Flaw == RaftFlaw.NoTermCheck)
            {
                // The flaw: the older term is taken as news, so the vote cast in it is forgotten.
                BecomeFollower(stale.Term, null);
            }
            else
            {
                RejectStale(message);
                return;
            }
        }

        switch (message)
        {
            case RequestVote vote:
                HandleRequestVote(vote);
                break;
            case VoteResponse response when _role == Role.Candidate && !_preCandidate:
                HandleVoteResponse(response);
                break;
            case Heartbeat heartbeat:
                HandleHeartbeat(heartbeat);
                break;
            case HeartbeatResponse response when _role == Role.Leader:
                HandleHeartbeatResponse(response);
                break;
        }
    }

    public void ProposeWrite(long writeId)
    {
        if (_role != Role.Leader)
        {
            _ready.Reject(writeId);
            return;
        }
        AcceptWrite(writeId);
    }

    public Ready TakeReady() => Ready.Take(ref _ready);

    private static long TermOf(Message message) => message switch
    {
        RequestVote m => m.Term,
        VoteResponse m => m.Term,
        Heartbeat m => m.Term,
        HeartbeatResponse m => m.Term,
        _ => throw new ArgumentException($"raft cannot handle {message.GetType().Name}", nameof(message)),
    };

    /// <summary>Answers a stale leader so that it learns the newer term and steps down.</summary>
    private void RejectStale(Message message)
    {
        if (message is Heartbeat heartbeat)
        {
            Send(new HeartbeatResponse
            {
                From = Id,
                To = heartbeat.From,
                Term = _term,
                Sequence = heartbeat.Sequence,
            });
        }
        else if (message is RequestVote vote)
        {
            Send(new VoteResponse { From = Id, To = vote.From, Term = _term, Granted = false });
        }
    }

    /// <summary>
    /// Whether a leader spoke within the minimum election timeout (a leader counts itself): the
    /// window in which pre-votes are refused and, with check-quorum, vote requests ignored.
    /// </summary>
    private bool HeardFromLeaderRecently =>
        _role == Role.Leader || (_leader is not null && _electionElapsedTicks < _config.ElectionTicksMin);

    private void BecomeFollower(long term, int? leader)
    {
        var stepsDown = _role == Role.Leader;
        if (term != _term)
        {
            _term = term;
            _votedFor = null;
            PersistHardState();
        }
        _role = Role.Follower;
        _preCandidate = false;
        _leader = leader;
        ResetElectionTimer();
        if (stepsDown)
        {
            FailPendingWrites();
        }
        AnnounceStatus();
    }

    private void ResetElectionTimer()
    {
        _electionElapsedTicks = 0;
        _electionTimeoutTicks = _random.Next(_config.ElectionTicksMin, _config.ElectionTicksMax + 1);
    }

    private void Send(Message message) => _ready.Send(message);

    private void PersistHardState() => _ready.Persist = new HardState
    {
        Term = _term,
        VotedFor = _options.Flaw == RaftFlaw.ForgetsVote ? null : _votedFor,
    };

    private void AnnounceStatus() => _ready.Announce(Status);
}
