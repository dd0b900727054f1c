namespace Coup.Nodes.NextInLine;

/// <summary>
/// Next-in-line succession, the improved Bully of seed 004: the leader provides a list of
/// successors in advance, and when it fails the highest-ranked process on that list becomes the
/// leader at once and tells the others, so there is no election round. Ranks are node ids.
/// <para>
/// The list is the peers the leader heard from within an election timeout, highest rank first,
/// published with every heartbeat. A follower that misses the leader waits the election timeout
/// plus its place on the list times <see cref="StepTicks"/>, which is longer than a round trip:
/// the first successor takes over first, and the others hear its heartbeat before their own wait
/// ends, so a dead first successor only costs the next one a step. Before any leader has
/// published a list (a new cluster) the list is every member by rank, so the highest live id
/// takes over. Nodes missing from the list wait behind it, by rank.
/// </para>
/// <para>
/// The term numbers the successions; a successor takes the one after the term it followed. Two
/// claims are ordered by (term, id): a node follows the newer one, a leader that meets a newer
/// one steps down, and one told of a newer term without a leader claims the term after it.
/// Nothing needs a majority, so each side of a partition ends up with a leader.
/// </para>
/// </summary>
public sealed partial class NextInLineNode : IElectionNode
{
    private readonly ClusterConfig _config;
    private Ready _ready = new();

    private long _term;
    private Role _role = Role.Follower;
    private int? _leader;
    /// <summary>The last list a leader published; every member by rank until one has.</summary>
    private IReadOnlyList<int> _successors;
    private int _silentTicks;

    public NextInLineNode(ClusterConfig config, HardState state)
    {
        _config = config;
        _term = state.Term;
        _successors = [.. config.Members.OrderDescending()];
    }

    public int Id => _config.Self;

    public NodeStatus Status => new() { Role = _role, Term = _term, Leader = _leader };

    /// <summary>The wait between one place on the list and the next: several round trips.</summary>
    private int StepTicks => _config.HeartbeatTicks;

    /// <summary>This node's place in the line of succession: the published list, then everyone else by rank.</summary>
    private int Place => _successors
        .Concat(_config.Members.OrderDescending())
        .Where(m => m != _leader)
        .Distinct()
        .TakeWhile(m => m != Id)
        .Count();

    private int TakeOverTicks => _config.ElectionTicksMin + Place * StepTicks;

    public void Tick()
    {
        if (_role == Role.Leader)
        {
            TickLeader();
            return;
        }
        _silentTicks++;
        if (_silentTicks >= TakeOverTicks)
        {
            TakeOver();
        }
    }

    public void Step(Message message)
    {
        switch (message)
        {
            case Heartbeat heartbeat:
                HandleHeartbeat(heartbeat);
                break;
            case HeartbeatResponse response:
                HandleHeartbeatResponse(response);
                break;
            default:
                throw new ArgumentException($"next-in-line cannot handle {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>Nothing to confirm with: the leader acknowledges on its own say-so, as Bully's does.</summary>
    public void ProposeWrite(long writeId) =>
        _ready.AnswerAtOnce(writeId, Status);

    public Ready TakeReady() => Ready.Take(ref _ready);

    /// <summary>Whether the claim (term, leader) is at least as new as the one this node holds.</summary>
    private bool IsCurrent(long term, int leader) =>
        term > _term || (term == _term && leader >= (_leader ?? 0));

    /// <summary>
    /// Follows a current claim and answers with the claim it now
    /// holds, or refuses a stale one by answering with its own.
    /// </summary>
    private void HandleHeartbeat(Heartbeat heartbeat)
    {
        if (IsCurrent(heartbeat.Term, heartbeat.From))
        {
            Follow(heartbeat.From, heartbeat.Term);
            _successors = heartbeat.Successors ?? [];
        }
        Send(new HeartbeatResponse { From = Id, To = heartbeat.From, Term = _term, Leader = _leader });
    }

    private void Follow(int leader, long term)
    {
        var changed = _role != Role.Follower || _leader != leader || _term != term;
        if (term != _term)
        {
            _term = term;
            Persist();
        }
        _role = Role.Follower;
        _leader = leader;
        _silentTicks = 0;
        if (changed)
        {
            AnnounceStatus();
        }
    }

    private void Send(Message message) => _ready.Send(message);

    private void Persist() => _ready.Persist = new HardState { Term = _term };

    private void AnnounceStatus() => _ready.Announce(Status);
}
