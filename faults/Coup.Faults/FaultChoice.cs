namespace Coup.Faults;

/// <summary>
/// One entry of a run's nemesis: a fault kind (<c>kill</c>, <c>partition</c>, ...), or a partition
/// of a named shape (<c>partition-ring</c>, <c>partition-one-way-in:leader</c>, docs/partitions.md), or a
/// packet fault (<c>packet-loss=30:all</c>, docs/packets.md), or a clock strobe (<c>clock-strobe:leader</c>,
/// docs/clocks.md).
/// </summary>
public sealed record FaultChoice(
    FaultKind Kind, PartitionSpec? Partition = null, PacketSpec? Packet = null, ClockStrobe? Strobe = null)
    : IComparable<FaultChoice>
{
    /// <summary>The name a user gives and the history records.</summary>
    public string Name => Partition?.ToString() ?? Packet?.ToString() ?? Strobe?.ToString() ?? Kind.Name();

    public static implicit operator FaultChoice(FaultKind kind) => new(kind);

    public override string ToString() => Name;

    /// <summary>By kind, then by name: the order a plan's cell ids list them in.</summary>
    public int CompareTo(FaultChoice? other) => other is null ? 1
        : Kind != other.Kind ? Kind.CompareTo(other.Kind) : string.CompareOrdinal(Name, other.Name);
}
