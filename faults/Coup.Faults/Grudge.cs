namespace Coup.Faults;

/// <summary>
/// A partition as data, as Jepsen's grudges: each node maps to the nodes whose packets it drops.
/// Built from components (sets of nodes that still reach each other); applied elsewhere. A node in
/// two components is a bridge: it reaches both, while they do not reach each other.
/// </summary>
public sealed record Grudge
{
    public required IReadOnlyList<IReadOnlyList<string>> Components { get; init; }

    /// <summary>Every node the grudge names, once.</summary>
    public IReadOnlyList<string> Nodes => [.. Components.SelectMany(c => c).Distinct()];

    /// <summary>Every node outside the largest component: the side that lost the majority.</summary>
    public IReadOnlyList<string> Minority
    {
        get
        {
            var largest = Components.MaxBy(c => c.Count) ?? [];
            return [.. Nodes.Where(n => !largest.Contains(n)).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>The nodes <paramref name="node"/> must drop: everyone it shares no component with.</summary>
    public IReadOnlyList<string> DroppedBy(string node)
    {
        var reached = Components.Where(c => c.Contains(node)).SelectMany(c => c).Append(node).ToHashSet();
        return [.. Nodes.Where(n => !reached.Contains(n))];
    }

    /// <summary>Cuts the cluster in two: the first half (rounded down) and the rest.</summary>
    public static Grudge Bisect(IReadOnlyList<string> nodes)
    {
        var half = nodes.Count / 2;
        return new Grudge { Components = [[.. nodes.Take(half)], [.. nodes.Skip(half)]] };
    }

    public static Grudge RandomHalves(IReadOnlyList<string> nodes, Random random) =>
        Bisect([.. nodes.OrderBy(_ => random.Next())]);

    public static Grudge Isolate(string node, IReadOnlyList<string> nodes) =>
        new() { Components = [[node], [.. nodes.Where(n => n != node)]] };

    public override string ToString() => string.Join(" | ", Components.Select(c => string.Join(",", c)));
}
