namespace Coup.Nodes.Invitation;

/// <summary>
/// A group's identity: the node that created it and that node's count of groups created so far.
/// Only its creator ever leads it (see docs/invitation-groups.md).
/// </summary>
public readonly record struct GroupId(int Creator, long Serial)
{
    public override string ToString() => $"{NodeNames.Of(Creator)}.{Serial}";
}

/// <summary>
/// "그룹 리더는 그룹에 속하지 않는 다른 프로세스를 자신의 그룹으로 초대" (seed 004): a
/// group leader invites a node outside its group. <see cref="Size"/> lets the invited leader tell which group is
/// larger.
/// </summary>
public sealed record Invite : Message
{
    public required GroupId Group { get; init; }
    public required int Size { get; init; }
}

/// <summary>
/// An invited leader agrees that the inviter's group is the larger: it and its members will join
/// <see cref="Group"/>. <see cref="Members"/> are its members besides itself; null when it led alone.
/// </summary>
public sealed record Accept : Message
{
    public required GroupId Group { get; init; }
    public IReadOnlyList<int>? Members { get; init; }
}

/// <summary>
/// The absorbing leader takes the receiver into <see cref="Group"/>. <see cref="Via"/> is the leader
/// that accepted on the receiver's behalf, so a node follows only a merge its own leader agreed to.
/// </summary>
public sealed record Join : Message
{
    public required GroupId Group { get; init; }
    public required long Term { get; init; }
    public required int Via { get; init; }
}

/// <summary>A group leader's periodic word to its members, with the group's current term.</summary>
public sealed record Heartbeat : Message
{
    public required GroupId Group { get; init; }
    public required long Term { get; init; }
}

/// <summary>
/// A member's answer. <see cref="Member"/> false means "I am not in your group (any more)", so a
/// leader drops a node that moved on at once instead of after a timeout.
/// </summary>
public sealed record HeartbeatResponse : Message
{
    public required GroupId Group { get; init; }
    public required bool Member { get; init; }
}
