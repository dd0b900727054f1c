namespace Coup.Faults;

/// <summary>
/// One part of a planned fault with its targets chosen, ready for a mechanism to apply. Most faults
/// have one part; an amnesia has a pause and a partition, and later a kill.
/// </summary>
public sealed record ResolvedFault
{
    public required PlannedFault Plan { get; init; }
    /// <summary>The mechanism that applies and heals this part, and the kind the history records.</summary>
    public required FaultKind Kind { get; init; }
    /// <summary>The nodes cut off from the rest (for partitions: the minority side).</summary>
    public required IReadOnlyList<string> Targets { get; init; }
    public Grudge? Grudge { get; init; }
    /// <summary>For a packet fault: the shape and the links it is put on.</summary>
    public PacketShaping? Packets { get; init; }
    public required string Detail { get; init; }
    /// <summary>Set once the cut has followed a claim (a chase or amnesia takes that step once).</summary>
    public string? Successor { get; init; }
}

/// <summary>
/// What a runtime does, in this order, when a node claims to lead while a chase or an amnesia holds:
/// put <see cref="Cut"/> in place of <see cref="Replaced"/> (one change, no moment without a cut),
/// then kill <see cref="Crash"/>'s targets and start them again, then resume <see cref="Wake"/>'s
/// once they answer.
/// </summary>
public sealed record ClaimResponse
{
    public required ResolvedFault Replaced { get; init; }
    public required ResolvedFault Cut { get; init; }
    /// <summary>Amnesia: the nodes that elected the claimant, crash-restarted while they hold its term.</summary>
    public ResolvedFault? Crash { get; init; }
    /// <summary>Amnesia: the paused follower, resumed once the crashed nodes answer again.</summary>
    public ResolvedFault? Wake { get; init; }
}

public static class FaultTargets
{
    /// <summary>
    /// Chooses the targets when the fault starts and returns its parts, to be applied in order.
    /// <paramref name="leader"/> is whom the observer last saw leading; with no leader known, a
    /// leader-targeted fault falls back to a random node. A partition given a
    /// <see cref="PlannedFault.Partition"/> spec takes its shape and target from it; one without
    /// resolves from <see cref="PlannedFault.Target"/> as before.
    /// </summary>
    public static IReadOnlyList<ResolvedFault> Resolve(PlannedFault fault, IReadOnlyList<string> nodes, string? leader)
    {
        var random = new Random(fault.ChoiceSeed);
        var leaderTargeted = leader is not null && fault.Target is TargetChoice.Leader or TargetChoice.IsolateLeader;
        var chosen = leaderTargeted ? leader! : nodes[random.Next(nodes.Count)];
        var who = leaderTargeted ? "leader " : "";
        switch (fault.Kind)
        {
            case FaultKind.Chase:
                var isolated = Grudge.Isolate(chosen, nodes);
                return [Part(fault, FaultKind.Partition, isolated, $"chase: isolate {who}{chosen}: {isolated}")];
            case FaultKind.Amnesia:
                return ResolveAmnesia(fault, nodes, chosen, who, random);
            case FaultKind.Partition when fault.Partition is { } spec:
                var (specCut, specShape) = spec.Cut(nodes, leader, random);
                return [Part(fault, FaultKind.Partition, specCut, $"{specShape}: {specCut}")];
            case FaultKind.Packet:
                var (shaping, side, shaped) = fault.Packet!.Shaping(nodes, leader, random);
                return [new ResolvedFault
                {
                    Plan = fault, Kind = fault.Kind, Targets = side, Packets = shaping, Detail = shaped,
                }];
            case FaultKind.Clock when fault.Strobe is { } strobe:
                var strobed = strobe.Target.Resolve(nodes, leader, random);
                return [new ResolvedFault { Plan = fault, Kind = fault.Kind, Targets = strobed,
                    Detail = $"{strobe.Describe()} on {strobe.Target.Describe(strobed, leader)}" }];
            case FaultKind.Partition:
                var grudge = fault.Target == TargetChoice.RandomHalves
                    ? Grudge.RandomHalves(nodes, random)
                    : Grudge.Isolate(chosen, nodes);
                var shape = fault.Target == TargetChoice.RandomHalves ? "random halves" : $"isolate {who}{chosen}";
                return [Part(fault, FaultKind.Partition, grudge, $"{shape}: {grudge}")];
            default:
                var detail = fault.Kind == FaultKind.Clock ? $"{fault.Clock} on {who}{chosen}" : $"{who}{chosen}";
                return [new ResolvedFault { Plan = fault, Kind = fault.Kind, Targets = [chosen], Detail = detail }];
        }
    }

    /// <summary>
    /// Pauses a follower (chosen at random) and cuts it off, and cuts off the leader: the rest elect
    /// a successor while the follower sleeps. The follower is cut off as well as paused so that the
    /// successor's vote request does not wait for it in a buffer and reach it when it wakes.
    /// </summary>
    private static IReadOnlyList<ResolvedFault> ResolveAmnesia(
        PlannedFault fault, IReadOnlyList<string> nodes, string leader, string who, Random random)
    {
        var followers = nodes.Where(n => n != leader).ToList();
        var sleeper = followers[random.Next(followers.Count)];
        var cut = new Grudge
        {
            Components = [[leader], [sleeper], [.. nodes.Where(n => n != leader && n != sleeper)]],
        };
        return
        [
            new ResolvedFault
            {
                Plan = fault,
                Kind = FaultKind.Pause,
                Targets = [sleeper],
                Detail = $"amnesia: {sleeper} sleeps through the next election",
            },
            Part(fault, FaultKind.Partition, cut, $"amnesia: isolate {who}{leader} and the sleeper {sleeper}: {cut}"),
        ];
    }

    private static ResolvedFault Part(PlannedFault fault, FaultKind kind, Grudge grudge, string detail) =>
        new() { Plan = fault, Kind = kind, Targets = grudge.Minority, Grudge = grudge, Detail = detail };

    /// <summary>
    /// The step a chase or an amnesia takes when <paramref name="claimant"/> claims to lead while it
    /// holds. A chase cuts the claimant off too. An amnesia lets the sleeper reach the claimant's
    /// voters (not the claimant), crash-restarts them and then wakes the sleeper, which slept through
    /// the claimant's election and at once asks them for their vote in the claimant's term: voters
    /// that remember their vote refuse it, voters that forgot it elect a second leader of that term.
    /// Null when no fault in <paramref name="active"/> follows claims, the claimant is one it cut
    /// off, or it already stepped.
    /// </summary>
    public static ClaimResponse? OnClaim(
        IReadOnlyList<ResolvedFault> active, string claimant, IReadOnlyList<string> nodes)
    {
        var following = active.FirstOrDefault(
            f => f.Plan.Kind is FaultKind.Chase or FaultKind.Amnesia && f.Kind == FaultKind.Partition);
        if (following is not { Grudge: { } grudge, Successor: null } || following.Targets.Contains(claimant))
        {
            return null;
        }
        if (following.Plan.Kind == FaultKind.Chase)
        {
            var cut = new Grudge
            {
                Components =
                [
                    .. following.Targets.Select(t => (IReadOnlyList<string>)[t]),
                    [claimant],
                    [.. nodes.Where(n => n != claimant && !following.Targets.Contains(n))],
                ],
            };
            return new ClaimResponse
            {
                Replaced = following,
                Cut = following with
                {
                    Targets = cut.Minority,
                    Grudge = cut,
                    Successor = claimant,
                    Detail = $"chase: isolate {string.Join(",", following.Targets)}, "
                        + $"then its successor {claimant} as it claimed: {cut}",
                },
            };
        }
        var sleep = active.First(f => f.Plan == following.Plan && f.Kind == FaultKind.Pause);
        var sleeper = sleep.Targets[0];
        // The leader cut off first is the cut's first component (ResolveAmnesia).
        var leader = grudge.Components[0][0];
        var voters = nodes.Where(n => n != leader && n != sleeper && n != claimant).ToList();
        // The voters bridge the claimant, which keeps them following it in its term through their
        // restart, and the sleeper, which asks them for their vote in that term; the two never meet.
        var bridge = new Grudge { Components = [[leader], [claimant, .. voters], [.. voters, sleeper]] };
        return new ClaimResponse
        {
            Replaced = following,
            Cut = following with
            {
                Targets = bridge.Minority,
                Grudge = bridge,
                Successor = claimant,
                Detail = $"amnesia: isolate {leader}; {string.Join(",", voters)} reach {claimant}, who claimed, "
                    + $"and the sleeper {sleeper}, who do not reach each other: {bridge}",
            },
            Crash = voters.Count == 0 ? null : new ResolvedFault
            {
                Plan = following.Plan,
                Kind = FaultKind.Kill,
                Targets = voters,
                Detail = $"amnesia: crash-restart {string.Join(",", voters)}, who elected {claimant}",
            },
            Wake = sleep,
        };
    }
}
