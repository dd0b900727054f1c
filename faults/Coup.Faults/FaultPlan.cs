namespace Coup.Faults;

/// <summary>The fault kinds a user can name in <c>--nemesis</c>.</summary>
/// <remarks>
/// <see cref="Chase"/> is a partition that follows leadership: it isolates the leader and then, the
/// instant another node claims to lead, isolates that one too (recorded as partitions).
/// <see cref="Amnesia"/> tests that voters remember their votes across a crash: it pauses a follower
/// and cuts it and the leader off; the instant another node claims to lead, it cuts that one off
/// instead, crash-restarts the nodes that elected it and wakes the follower, which slept through the
/// election and now asks the restarted voters for their vote in the same term (recorded as a pause,
/// partitions and a kill).
/// </remarks>
/// <see cref="Packet"/> shapes the messages on some links (loss, delay, duplication, reordering;
/// docs/packets.md); it is named by its shape only (<c>packet-loss=30:leader</c>).
public enum FaultKind { Kill, Pause, Partition, Clock, Chase, Amnesia, Packet }

/// <summary>Whom a fault hits; <see cref="Leader"/> is resolved when the fault starts.</summary>
public enum TargetChoice { RandomNode, Leader, RandomHalves, IsolateLeader }

/// <summary>A change to one node's clock through libfaketime (or the simulator's clock).</summary>
public sealed record ClockChange
{
    /// <summary>Added to the node's clock, wall and monotonic.</summary>
    public double OffsetS { get; init; }
    /// <summary>How fast the node's clock runs: 2 means its timers fire twice as often.</summary>
    public double Rate { get; init; } = 1;

    public override string ToString() => Rate != 1 ? $"rate {Rate:0.##}" : $"bump {OffsetS:+0.##;-0.##}s";
}

/// <summary>One planned fault: when it starts and how long it is held, in seconds since run start.</summary>
public sealed record PlannedFault
{
    public required double StartS { get; init; }
    public required double HoldS { get; init; }
    public required FaultKind Kind { get; init; }
    public required TargetChoice Target { get; init; }
    /// <summary>Seeds the random choices made when the fault starts (which node, which halves).</summary>
    public required int ChoiceSeed { get; init; }
    public ClockChange? Clock { get; init; }
    /// <summary>
    /// For a <see cref="FaultKind.Clock"/> strobe: the jumps and the target a user named; <see cref="Clock"/>
    /// is then its jump forward, and the nemesis steps the clock back and forth while it holds.
    /// </summary>
    public ClockStrobe? Strobe { get; init; }
    /// <summary>
    /// For a <see cref="FaultKind.Partition"/>: the shape and target a user named (e.g.
    /// <c>partition-one-way-in:leader</c>), which then decide the cut instead of <see cref="Target"/>.
    /// </summary>
    public PartitionSpec? Partition { get; init; }
    /// <summary>For a <see cref="FaultKind.Packet"/>: the shape and target a user named.</summary>
    public PacketSpec? Packet { get; init; }

    public double StopS => StartS + HoldS;
}

public static class FaultKinds
{
    public static string Name(this FaultKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>With the leader and the sleeper cut off, the rest must still be a majority: 5 nodes or more.</summary>
    public const int AmnesiaNodesMin = 5;
}
