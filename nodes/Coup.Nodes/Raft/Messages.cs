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

/// <summary>
/// "Would you vote for me in <see cref="Term"/>?" (thesis, section 9.6), asked before the sender
/// increments its own term, which is <see cref="Term"/> - 1.
/// </summary>
public sealed record PreVote : Message
{
    public required long Term { get; init; }
}

/// <summary>A granted pre-vote carries the proposed term; a refusal carries the voter's own.</summary>
public sealed record PreVoteResponse : Message
{
    public required long Term { get; init; }
    public required bool Granted { get; init; }
}
