namespace Coup.Nodes.Raft;

/// <summary>A candidate asks for a vote in <see cref="Term"/>.</summary>
public sealed record RequestVote : Message
{
    public required long Term { get; init; }
}

public sealed record VoteResponse : Message
{
    public required long Term { get; init; }
    public required bool Granted { get; init; }
}

/// <summary>
/// The leader's empty AppendEntries. <see cref="Sequence"/> numbers it so that a write can be
/// acknowledged once a majority has answered a heartbeat sent after the write arrived.
/// </summary>
public sealed record Heartbeat : Message
{
    public required long Term { get; init; }
    public required long Sequence { get; init; }
}

public sealed record HeartbeatResponse : Message
{
    public required long Term { get; init; }
    public required long Sequence { get; init; }
}
