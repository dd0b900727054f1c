namespace Coup.Nodes.Invitation;

/// <summary>
/// The invitation algorithm as seed 004 describes it: every process starts as the leader of a
/// group of its own; group leaders invite the processes outside their group; an invited process
/// that leads merges the two groups, and the larger group's leader leads the merged one. Leaders
/// drop members that stop answering and keep leading the rest; a member that loses its leader
/// starts a group of its own again. Groups are named by their creator (<see cref="GroupId"/>) and
/// the term counts the membership changes of the group, so there is one leader per group by
/// construction and several per cluster whenever the network is cut (docs/invitation-groups.md).
/// </summary>
public sealed partial class InvitationNode : IElectionNode
{
    /// <summary>The <see cref="HardState.Values"/> key of how many groups this node has created.</summary>
    public const string GroupsCreatedKey = "groupsCreated";

    private readonly ClusterConfig _config;
    private readonly Random _random;
    private Ready _ready = new();

    private long _groupsCreated;
    private GroupId _group;
    private long _term;
    private Role _role;
    private int? _leader;

    public InvitationNode(ClusterConfig config, HardState state, Random random)
    {
        _config = config;
        _random = random;
        _groupsCreated = state.Values?.GetValueOrDefault(GroupsCreatedKey) ?? 0;
        // "각 프로세스는 자신이 유일한 구성원인 그룹의 리더로 시작" (seed 004). The host
        // announces the status a node starts with, so only the persisting is left to the first Ready.
        StartGroup();
    }

    public int Id => _config.Self;

    public NodeStatus Status => new() { Role = _role, Term = _term, Leader = _leader, Group = _group.ToString() };

    /// <summary>
    /// Messages this node sent to carry out merges: one <see cref="Accept"/> for each merge it
    /// agreed to as the smaller group's leader, and one <see cref="Join"/> for each node it took in
    /// as the larger group's leader. A merge that absorbs a group of s nodes costs 1 + s, which is
    /// why the larger group should lead it. Invitations, sent whether or not a merge follows, are
    /// not counted.
    /// </summary>
    public long MergeMessagesSent { get; private set; }

    /// <summary>Merges this node led as the larger group's leader: summed over the cluster, the merges done.</summary>
    public long MergesLed { get; private set; }

    public void Tick()
    {
        if (_role == Role.Leader)
        {
            TickLeader();
        }
        else
        {
            TickMember();
        }
    }

    public void Step(Message message)
    {
        switch (message)
        {
            case Invite invite:
                HandleInvite(invite);
                break;
            case Accept accept:
                HandleAccept(accept);
                break;
            case Join join:
                HandleJoin(join);
                break;
            case Heartbeat heartbeat:
                HandleHeartbeat(heartbeat);
                break;
            case HeartbeatResponse response:
                HandleHeartbeatResponse(response);
                break;
            default:
                throw new ArgumentException($"invitation cannot handle {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>
    /// A group leader acknowledges on its own say-so, in its group's term: there is no majority to ask.
    /// </summary>
    public void ProposeWrite(long writeId) =>
        _ready.AnswerAtOnce(writeId, Status);

    public Ready TakeReady() => Ready.Take(ref _ready);

    private void FoundGroup()
    {
        StartGroup();
        AnnounceStatus();
    }

    /// <summary>
    /// Makes this node the leader of a new group of its own. The creation count is persisted so
    /// that a restarted node never names a group it created before: its old members may still
    /// speak of that group, and a reused name would start its term again from 1.
    /// </summary>
    private void StartGroup()
    {
        _groupsCreated++;
        _group = new GroupId(Id, _groupsCreated);
        _term = 1;
        _role = Role.Leader;
        _leader = Id;
        ClearLeaderState();
        _heartbeatElapsedTicks = 0;
        ResetInviteTimer();
        _ready.Persist = new HardState
        {
            Values = new Dictionary<string, long> { [GroupsCreatedKey] = _groupsCreated },
        };
    }

    private void Follow(int leader, GroupId group, long term)
    {
        _role = Role.Follower;
        _leader = leader;
        _group = group;
        _term = term;
        ClearLeaderState();
        ResetLeaderTimer();
        AnnounceStatus();
    }

    private void Send(Message message) => _ready.Send(message);

    private void AnnounceStatus() => _ready.Announce(Status);
}
