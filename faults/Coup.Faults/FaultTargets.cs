namespace Coup.Faults;

/// <summary>A planned fault with its targets chosen, ready for a mechanism to apply.</summary>
public sealed record ResolvedFault
{
    public required PlannedFault Plan { get; init; }
    /// <summary>The nodes cut off from the rest (for partitions: the minority side).</summary>
    public required IReadOnlyList<string> Targets { get; init; }
    public Grudge? Grudge { get; init; }
    public required string Detail { get; init; }
}

public static class FaultTargets
{
    /// <summary>
    /// Chooses the targets when the fault starts. <paramref name="leader"/> is whom the observer
    /// last saw leading; with no leader known, a leader-targeted fault falls back to a random node.
    /// </summary>
    public static ResolvedFault Resolve(PlannedFault fault, IReadOnlyList<string> nodes, string? leader)
    {
        var random = new Random(fault.ChoiceSeed);
        var chosen = leader is not null && fault.Target is TargetChoice.Leader or TargetChoice.IsolateLeader
            ? leader
            : nodes[random.Next(nodes.Count)];
        var who = leader is not null && fault.Target is TargetChoice.Leader or TargetChoice.IsolateLeader ? "leader " : "";
        if (fault.Kind == FaultKind.Partition)
        {
            var grudge = fault.Target == TargetChoice.RandomHalves
                ? Grudge.RandomHalves(nodes, random)
                : Grudge.Isolate(chosen, nodes);
            var shape = fault.Target == TargetChoice.RandomHalves ? "random halves" : $"isolate {who}{chosen}";
            return new ResolvedFault { Plan = fault, Targets = grudge.Minority, Grudge = grudge, Detail = $"{shape}: {grudge}" };
        }
        var detail = fault.Kind == FaultKind.Clock ? $"{fault.Clock} on {who}{chosen}" : $"{who}{chosen}";
        return new ResolvedFault { Plan = fault, Targets = [chosen], Detail = detail };
    }
}
