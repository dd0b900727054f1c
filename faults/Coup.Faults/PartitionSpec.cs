namespace Coup.Faults;

public enum PartitionShape { Halves, Isolate, OneWayIn, OneWayOut, Bridge, Ring, Minority }

/// <summary>
/// A partition as a user names it: a shape, and for the shapes that cut particular nodes off, whom:
/// <c>partition-isolate:leader</c>, <c>partition-one-way-in:n1+n3</c>, <c>partition-ring</c>.
/// Turned into a grudge when the fault starts (<see cref="FaultTargets.Resolve"/>).
/// </summary>
public sealed record PartitionSpec
{
    public required PartitionShape Shape { get; init; }
    /// <summary>
    /// Whom the shape cuts off; null for the shapes that choose for themselves (halves, bridge, ring, minority).
    /// </summary>
    public NodeTarget? Target { get; init; }

    private static readonly IReadOnlyList<(string Name, PartitionShape Shape)> Shapes =
    [
        ("partition-halves", PartitionShape.Halves),
        ("partition-isolate", PartitionShape.Isolate),
        ("partition-one-way-in", PartitionShape.OneWayIn),
        ("partition-one-way-out", PartitionShape.OneWayOut),
        ("partition-bridge", PartitionShape.Bridge),
        ("partition-ring", PartitionShape.Ring),
        ("partition-minority", PartitionShape.Minority),
    ];

    /// <summary>Every name a partition spec can start with, for help texts and refusals.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Shapes.Select(s => s.Name)];

    /// <summary>Whether <paramref name="shape"/> takes a <c>:TARGET</c>; those default to the leader.</summary>
    public static bool TakesTarget(PartitionShape shape) =>
        shape is PartitionShape.Isolate or PartitionShape.OneWayIn or PartitionShape.OneWayOut;

    /// <summary>
    /// Whether the cut has links cut one way only among <paramref name="nodeCount"/> nodes, which
    /// members that carry both directions on one connection (real systems) cannot apply: one-way
    /// shapes always, a majorities ring when its majority is even (3, 6, 7 nodes), its window then
    /// leaning to one side.
    /// </summary>
    public bool CutsOneWay(int nodeCount) => Shape switch
    {
        PartitionShape.OneWayIn or PartitionShape.OneWayOut => true,
        PartitionShape.Ring => NodeTarget.MajorityCount(nodeCount) % 2 == 0,
        _ => false,
    };

    /// <summary>The spec <paramref name="text"/> names, or null with the one-line reason.</summary>
    public static PartitionSpec? Parse(string text, out string? problem)
    {
        var colon = text.IndexOf(':');
        var name = colon < 0 ? text : text[..colon];
        var targetText = colon < 0 ? null : text[(colon + 1)..];
        var shape = Shapes.Where(s => s.Name == name).Select(s => (PartitionShape?)s.Shape).FirstOrDefault();
        problem = shape switch
        {
            null => $"unknown partition '{name}'; use one of {string.Join(", ", Names)} " +
                $"(isolate and one-way-in/out take :TARGET, {NodeTarget.Vocabulary})",
            { } s when targetText is not null && !TakesTarget(s) => $"{name} takes no target ('{text}'); only " +
                $"{string.Join(", ", Shapes.Where(t => TakesTarget(t.Shape)).Select(t => t.Name))} do",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }
        if (targetText is null)
        {
            var defaultTarget = TakesTarget(shape!.Value) ? NodeTarget.Leader : null;
            return new PartitionSpec { Shape = shape.Value, Target = defaultTarget };
        }
        var target = NodeTarget.Parse(targetText, out problem);
        if (target is null)
        {
            problem = $"{name}: {problem}";
            return null;
        }
        if (target.Kind == NodeTargetKind.All)
        {
            problem = $"{text}: a partition cannot cut off all nodes, nothing would be left to cut them from; " +
                "use minority, majority, one, leader or a list";
            return null;
        }
        return new PartitionSpec { Shape = shape!.Value, Target = target };
    }

    /// <summary>
    /// The grudge this spec cuts among <paramref name="nodes"/>, and how it was chosen, for people.
    /// <paramref name="leader"/> is whom the observer last saw leading (null: none known, and a
    /// leader target falls back to a random node).
    /// </summary>
    public (Grudge Grudge, string Detail) Cut(IReadOnlyList<string> nodes, string? leader, Random random)
    {
        if (Target is { } target)
        {
            var side = target.Resolve(nodes, leader, random);
            if (side.Count >= nodes.Count)
            {
                throw new ArgumentException(
                    $"{this}: the target is every node; nothing would be left to cut them from");
            }
            var who = target.Describe(side, leader);
            return Shape switch
            {
                PartitionShape.OneWayIn => (Grudge.OneWayInbound(side, nodes), $"one-way inbound to {who}"),
                PartitionShape.OneWayOut => (Grudge.OneWayOutbound(side, nodes), $"one-way outbound from {who}"),
                _ => (Grudge.Isolate(side, nodes), $"isolate {who}"),
            };
        }
        return Shape switch
        {
            PartitionShape.Halves => (Grudge.RandomHalves(nodes, random), "random halves"),
            PartitionShape.Bridge => (Grudge.Bridge(Shuffled(nodes, random)), "bridge"),
            PartitionShape.Ring => (Grudge.MajoritiesRing(Shuffled(nodes, random)), "majorities ring"),
            _ => (Grudge.IsolateMinority(nodes, random), "isolate a random minority"),
        };
    }

    private static IReadOnlyList<string> Shuffled(IReadOnlyList<string> nodes, Random random) =>
        NodeTarget.RandomNodes(nodes, nodes.Count, random);

    public override string ToString()
    {
        var name = Shapes.First(s => s.Shape == Shape).Name;
        return Target is null ? name : $"{name}:{Target}";
    }
}
