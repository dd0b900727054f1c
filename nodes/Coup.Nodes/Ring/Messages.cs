namespace Coup.Nodes.Ring;

/// <summary>
/// "메시지에는 자신의 정보를 포함하여 전달한다" (seed 004: each process adds its own information
/// and passes the message on). <see cref="Ids"/> are the nodes it passed, the initiator first (null
/// only before anyone added to it); <see cref="Term"/> is one more than the highest term among them.
/// </summary>
public sealed record Election : Message
{
    public required int Initiator { get; init; }
    public required long Term { get; init; }
    public IReadOnlyList<int>? Ids { get; init; }
}

/// <summary>The successor got the election message: without this within a timeout, the sender skips it.</summary>
public sealed record ElectionAck : Message;

/// <summary>
/// The initiator announces <see cref="Leader"/>, the highest id the message collected; the leader
/// repeats it as its heartbeat.
/// </summary>
public sealed record Coordinator : Message
{
    public required int Leader { get; init; }
    public required long Term { get; init; }
}
