namespace Coup.Faults;

public enum NodeTargetKind { One, Leader, Minority, Majority, All, Listed }

/// <summary>
/// Whom a fault hits, as a user names it: <c>one</c> (a random node), <c>leader</c> (whom the
/// observer last saw leading; a random node while none is known), <c>minority</c> ((n-1)/2 random
/// nodes), <c>majority</c> (n/2+1 random nodes), <c>all</c>, or a list such as <c>n1+n3</c>.
/// Chosen when the fault starts, from the fault's own seeded random source.
/// </summary>
public sealed record NodeTarget
{
    public required NodeTargetKind Kind { get; init; }
    /// <summary>A <see cref="NodeTargetKind.Listed"/> target's nodes, in the order given; empty otherwise.</summary>
    public IReadOnlyList<string> Listed { get; init; } = [];

    public const string Vocabulary = "one, leader, minority, majority, all, or nodes joined by + (n1+n3)";

    public static NodeTarget Leader { get; } = new() { Kind = NodeTargetKind.Leader };

    /// <summary>The largest minority of <paramref name="nodeCount"/> nodes: 1 of 3, 1 of 4, 2 of 5.</summary>
    public static int MinorityCount(int nodeCount) => (nodeCount - 1) / 2;

    public static int MajorityCount(int nodeCount) => nodeCount / 2 + 1;

    /// <summary>The target <paramref name="text"/> names, or null with the one-line reason.</summary>
    public static NodeTarget? Parse(string text, out string? problem)
    {
        problem = null;
        var kind = Enum.GetValues<NodeTargetKind>().Where(k => k != NodeTargetKind.Listed && Name(k) == text)
            .Select(k => (NodeTargetKind?)k).FirstOrDefault();
        if (kind is { } named)
        {
            return new NodeTarget { Kind = named };
        }
        var nodes = text.Split('+');
        var unnamed = nodes.FirstOrDefault(n => !IsNodeName(n));
        problem = unnamed is not null
            ? $"unknown target '{text}'" + (nodes.Length > 1 ? $" ('{unnamed}' is not a node name like n1)" : "") +
                $"; use {Vocabulary}"
            : nodes.Distinct().Count() < nodes.Length
                ? $"target '{text}' names a node twice; name each node once"
                : null;
        return problem is null ? new NodeTarget { Kind = NodeTargetKind.Listed, Listed = nodes } : null;
    }

    /// <summary>
    /// The nodes this target hits among <paramref name="nodes"/>; a listed node that is not one of
    /// them is refused.
    /// </summary>
    public IReadOnlyList<string> Resolve(IReadOnlyList<string> nodes, string? leader, Random random) => Kind switch
    {
        NodeTargetKind.One => [nodes[random.Next(nodes.Count)]],
        NodeTargetKind.Leader => [leader ?? nodes[random.Next(nodes.Count)]],
        NodeTargetKind.Minority => RandomNodes(nodes, MinorityCount(nodes.Count), random),
        NodeTargetKind.Majority => RandomNodes(nodes, MajorityCount(nodes.Count), random),
        NodeTargetKind.All => nodes,
        _ => Listed.FirstOrDefault(n => !nodes.Contains(n)) is { } stranger
            ? throw new ArgumentException(
                $"target {this}: {stranger} is not one of the run's nodes ({string.Join(", ", nodes)})")
            : Listed,
    };

    /// <summary><paramref name="count"/> nodes drawn at random, in the order drawn.</summary>
    public static IReadOnlyList<string> RandomNodes(IReadOnlyList<string> nodes, int count, Random random) =>
        [.. nodes.OrderBy(_ => random.Next()).Take(count)];

    /// <summary>The resolved <paramref name="targets"/> for people: "leader n3", "minority n2,n5", "n1,n3".</summary>
    public string Describe(IReadOnlyList<string> targets, string? leader)
    {
        var joined = string.Join(",", targets);
        return Kind switch
        {
            NodeTargetKind.Leader when leader is null => $"{joined} (no leader known)",
            NodeTargetKind.One or NodeTargetKind.Listed => joined,
            _ => $"{Name(Kind)} {joined}",
        };
    }

    public override string ToString() => Kind == NodeTargetKind.Listed ? string.Join("+", Listed) : Name(Kind);

    private static string Name(NodeTargetKind kind) => kind.ToString().ToLowerInvariant();

    private static bool IsNodeName(string text) =>
        text.Length > 1 && text[0] == 'n' && text[1] != '0' && text.Skip(1).All(char.IsAsciiDigit);
}
