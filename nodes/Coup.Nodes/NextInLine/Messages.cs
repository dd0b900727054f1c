namespace Coup.Nodes.NextInLine;

/// <summary>
/// "리더가 미리 제공 해놓은 목록" (seed 004: the list the leader provided in advance): the leader's
/// heartbeat carries its successors, the peers it heard from lately, highest rank first; null
/// when it heard from nobody.
/// </summary>
public sealed record Heartbeat : Message
{
    public required long Term { get; init; }
    public IReadOnlyList<int>? Successors { get; init; }
}

/// <summary>
/// A node's answer to a heartbeat: the claim it follows. The leader lists the nodes that follow
/// it as successors; a stale leader learns from a newer claim that it has been succeeded.
/// </summary>
public sealed record HeartbeatResponse : Message
{
    public required long Term { get; init; }
    public int? Leader { get; init; }
}
