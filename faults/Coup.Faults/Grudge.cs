namespace Coup.Faults;

/// <summary>One node's grudge: <paramref name="Node"/> drops the packets <paramref name="Senders"/> send it.</summary>
public sealed record Drop(string Node, IReadOnlyList<string> Senders);

/// <summary>
/// A partition as data, as Jepsen's grudges: each node maps to the nodes whose packets it drops.
/// Either symmetric, built from <see cref="Components"/> (sets of nodes that still reach each other;
/// a node in two components is a bridge: it reaches both, while they do not reach each other), or
/// directed, given as <see cref="Drops"/> (a one-way cut: a node that drops a sender's packets may
/// still be heard by it). Applied elsewhere; the shapes are built in Grudge.Shapes.cs.
/// </summary>
public sealed partial record Grudge
{
    /// <summary>Symmetric: the groups of nodes that still reach each other; empty with <see cref="Drops"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components { get; init; } = [];

    /// <summary>Directed: what each node drops. Empty when <see cref="Components"/> is given.</summary>
    public IReadOnlyList<Drop> Drops { get; init; } = [];

    public bool IsDirected => Drops.Count > 0;

    /// <summary>Every node the grudge names, once.</summary>
    public IReadOnlyList<string> Nodes => IsDirected
        ? [.. Drops.SelectMany(d => d.Senders.Prepend(d.Node)).Distinct()]
        : [.. Components.SelectMany(c => c).Distinct()];

    /// <summary>
    /// The side that lost the majority. Symmetric: every node outside the largest component.
    /// Directed: the nodes that lose messages, the ones that hear fewer than a majority of the nodes
    /// (counting themselves) or are heard by fewer than a majority.
    /// </summary>
    public IReadOnlyList<string> Minority
    {
        get
        {
            if (IsDirected)
            {
                var nodes = Nodes;
                var majority = NodeTarget.MajorityCount(nodes.Count);
                var heardBy = nodes.ToDictionary(n => n, n => nodes.Count(l => !DroppedBy(l).Contains(n)));
                return [.. nodes.Where(n => nodes.Count - DroppedBy(n).Count < majority || heardBy[n] < majority)
                    .Order(StringComparer.Ordinal)];
            }
            var largest = Components.MaxBy(c => c.Count) ?? [];
            return [.. Nodes.Where(n => !largest.Contains(n)).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The nodes <paramref name="node"/> must drop packets from: everyone it shares no component
    /// with, or the senders its drops name.
    /// </summary>
    public IReadOnlyList<string> DroppedBy(string node)
    {
        if (IsDirected)
        {
            return [.. Drops.Where(d => d.Node == node).SelectMany(d => d.Senders).Distinct()];
        }
        var reached = Components.Where(c => c.Contains(node)).SelectMany(c => c).Append(node).ToHashSet();
        return [.. Nodes.Where(n => !reached.Contains(n))];
    }

    /// <summary>Components as <c>n1,n2 | n3,n4,n5</c>; drops as <c>n1 &lt;-x n2,n3; n4 &lt;-x n5</c>.</summary>
    public override string ToString() => IsDirected
        ? string.Join("; ", Drops.Select(d => $"{d.Node} <-x {string.Join(",", d.Senders)}"))
        : string.Join(" | ", Components.Select(c => string.Join(",", c)));
}
