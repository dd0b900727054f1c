namespace Coup.Nodes.Kafka;

/// <summary>One partition as a broker sees it: the leader epoch it knows and whether it leads in it.</summary>
public sealed record PartitionReport(int Partition, long Epoch, bool Leading);

/// <summary>The controller's word on one partition: its leader and leader epoch.</summary>
public sealed record PartitionAssignment(int Partition, int Leader, long Epoch);

/// <summary>
/// A broker's periodic "I am alive" to the node it believes is the controller (Kafka's
/// BrokerHeartbeat), with what it knows of each partition, so a new controller can find the
/// leaders the old one appointed and see which of its own appointees fenced themselves.
/// </summary>
public sealed record BrokerHeartbeat : Message
{
    /// <summary>The sender's Raft term: the controller term it heartbeats in.</summary>
    public required long ControllerTerm { get; init; }
    /// <summary>
    /// When the broker sent it, on its own tick count; the answer echoes it, and the broker's session runs from there.
    /// </summary>
    public required long SentAtTick { get; init; }
    public required IReadOnlyList<PartitionReport> Partitions { get; init; }
}

/// <summary>
/// The controller's assignments (Kafka's LeaderAndIsr), pushed to every broker when one changes
/// and sent as the answer to each broker heartbeat. Only a controller sends it; an answer renews
/// the broker's session from the moment the answered heartbeat left.
/// </summary>
public sealed record Assignment : Message
{
    public required long ControllerTerm { get; init; }
    /// <summary>The answered heartbeat's <see cref="BrokerHeartbeat.SentAtTick"/>; null when pushed unasked.</summary>
    public long? AnswersSentAtTick { get; init; }
    public required IReadOnlyList<PartitionAssignment> Partitions { get; init; }
}

/// <summary>
/// A partition leader's replication round (the fetch cycle turned around): a follower answers if
/// it knows no newer leader epoch. A write is acknowledged once a majority of replicas answered a
/// round sent after it.
/// </summary>
public sealed record Replicate : Message
{
    public required int Partition { get; init; }
    public required long Epoch { get; init; }
    public required long Sequence { get; init; }
}

/// <summary>Accepted, or refused with the newer epoch the replica knows, which deposes the sender.</summary>
public sealed record ReplicateResponse : Message
{
    public required int Partition { get; init; }
    public required long Epoch { get; init; }
    public required long Sequence { get; init; }
    public required bool Accepted { get; init; }
}
