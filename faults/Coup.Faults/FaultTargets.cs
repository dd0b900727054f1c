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
        if (fault.Kind == FaultKind.Chase)
        {
            var isolated = Grudge.Isolate(chosen, nodes);
            return new ResolvedFault { Plan = fault, Targets = isolated.Minority, Grudge = isolated, Detail = $"chase: isolate {who}{chosen}: {isolated}" };
        }
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

    /// <summary>
    /// The second step of a chase: <paramref name="successor"/> claimed to lead while
    /// <paramref name="chase"/> held, and is cut off on its own too. Null when the claim comes from a
    /// node the chase already isolated, or the chase has already taken its second step.
    /// </summary>
    public static ResolvedFault? ChaseSuccessor(ResolvedFault chase, string successor, IReadOnlyList<string> nodes)
    {
        if (chase.Plan.Kind != FaultKind.Chase || chase.Grudge is not { } grudge || grudge.Components.Count > 2 || chase.Targets.Contains(successor))
        {
            return null;
        }
        var cut = new Grudge { Components = [.. chase.Targets.Select(t => (IReadOnlyList<string>)[t]), [successor], [.. nodes.Where(n => n != successor && !chase.Targets.Contains(n))]] };
        return chase with
        {
            Targets = cut.Minority,
            Grudge = cut,
            Detail = $"chase: isolate {string.Join(",", chase.Targets)}, then its successor {successor} as it claimed: {cut}",
        };
    }
}
