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

    /// <summary>Every name a choice can take, as help texts and refusals list them.</summary>
    public static string Vocabulary { get; } = string.Join(",", Enum.GetValues<FaultKind>()
        .Where(k => k != FaultKind.Packet).Select(FaultKinds.Name).Concat(PacketSpec.Names).Append(ClockStrobe.Name));

    /// <summary>
    /// The choice one name gives (<c>kill</c>, <c>partition-ring</c>, <c>packet-loss=30:all</c>,
    /// <c>clock-strobe:leader</c>), or null with the one-line reason: the one parser of a fault's name,
    /// for <c>--nemesis</c>, plan files and timelines.
    /// </summary>
    public static FaultChoice? Parse(string name, out string? problem)
    {
        problem = null;
        // A packet fault is named by its shape only (packet-loss, ...), never as bare "packet".
        var kind = Enum.GetValues<FaultKind>().Where(k => k != FaultKind.Packet && k.Name() == name)
            .Select(k => (FaultKind?)k).FirstOrDefault();
        if (kind is { } bare)
        {
            return new FaultChoice(bare);
        }
        if (name.StartsWith("partition-", StringComparison.Ordinal))
        {
            return PartitionSpec.Parse(name, out problem) is { } spec
                ? new FaultChoice(FaultKind.Partition, spec) : null;
        }
        if (name.StartsWith(PacketSpec.Prefix, StringComparison.Ordinal))
        {
            return PacketSpec.Parse(name, out problem) is { } packet
                ? new FaultChoice(FaultKind.Packet, Packet: packet) : null;
        }
        if (name.StartsWith(ClockStrobe.Name, StringComparison.Ordinal))
        {
            return ClockStrobe.Parse(name, out problem) is { } strobe
                ? new FaultChoice(FaultKind.Clock, Strobe: strobe) : null;
        }
        problem = $"unknown nemesis '{name}'; use {Vocabulary}";
        return null;
    }

    /// <summary>By kind, then by name: the order a plan's cell ids list them in.</summary>
    public int CompareTo(FaultChoice? other) => other is null ? 1
        : Kind != other.Kind ? Kind.CompareTo(other.Kind) : string.CompareOrdinal(Name, other.Name);
}
