namespace Coup.Faults;

/// <summary>
/// The shapes a partition takes, as pure functions from the nodes (and a seeded random source where a
/// choice is made) to a grudge, after Jepsen's jepsen.nemesis: bisect, bridge, majorities-ring.
/// </summary>
public sealed partial record Grudge
{
    /// <summary>Cuts the cluster in two: the first half (rounded down) and the rest.</summary>
    public static Grudge Bisect(IReadOnlyList<string> nodes)
    {
        var half = nodes.Count / 2;
        return new Grudge { Components = [[.. nodes.Take(half)], [.. nodes.Skip(half)]] };
    }

    public static Grudge RandomHalves(IReadOnlyList<string> nodes, Random random) =>
        Bisect([.. nodes.OrderBy(_ => random.Next())]);

    /// <summary>Cuts <paramref name="side"/> off from the rest; the side's nodes still reach each other.</summary>
    public static Grudge Isolate(IReadOnlyList<string> side, IReadOnlyList<string> nodes) =>
        new() { Components = [[.. side], [.. nodes.Where(n => !side.Contains(n))]] };

    public static Grudge Isolate(string node, IReadOnlyList<string> nodes) => Isolate([node], nodes);

    /// <summary>
    /// Cuts a random minority off from the rest: the largest one, (n-1)/2 nodes (1 of 3, 2 of 5,
    /// 1 of 4), so that the rest keeps a majority.
    /// </summary>
    public static Grudge IsolateMinority(IReadOnlyList<string> nodes, Random random) =>
        Isolate(NodeTarget.RandomNodes(nodes, NodeTarget.MinorityCount(nodes.Count), random), nodes);

    /// <summary>
    /// Jepsen's bridge: the cluster cut in half (<see cref="Bisect"/>), but the first node of the
    /// second half keeps reaching both: 1,2 | 3,4,5 becomes 1,2,3 | 3,4,5.
    /// </summary>
    public static Grudge Bridge(IReadOnlyList<string> nodes)
    {
        var half = nodes.Count / 2;
        return new Grudge { Components = [[.. nodes.Take(half + 1)], [.. nodes.Skip(half)]] };
    }

    /// <summary>
    /// Jepsen's majorities-ring (its "perfect" variant): the nodes, in the given order, form a ring;
    /// every run of m consecutive nodes (m a majority) is the majority its middle node hears, and it
    /// drops the rest. Each node hears a majority, counting itself, and no two hear the same one.
    /// With 5 nodes each hears its two neighbours (symmetric); with an even majority (3, 6 or 7 nodes)
    /// the window leans back, so some links are cut one way only.
    /// </summary>
    public static Grudge MajoritiesRing(IReadOnlyList<string> nodes)
    {
        if (nodes.Count < MajoritiesRingNodesMin)
        {
            throw new ArgumentException(
                $"a majorities ring needs {MajoritiesRingNodesMin} nodes or more; got {nodes.Count}", nameof(nodes));
        }
        var count = nodes.Count;
        var majority = NodeTarget.MajorityCount(count);
        return new Grudge
        {
            Drops = [.. Enumerable.Range(0, count).Select(start =>
            {
                var window = Enumerable.Range(start, majority).Select(i => nodes[i % count]).ToList();
                return new Drop(window[majority / 2], [.. nodes.Where(n => !window.Contains(n))]);
            })],
        };
    }

    /// <summary>With fewer nodes every majority is the whole ring (2 nodes): nothing would be cut.</summary>
    public const int MajoritiesRingNodesMin = 3;

    /// <summary>
    /// The <paramref name="side"/> drops packets from every other node: it still sends, and is heard,
    /// but hears nothing from outside the side.
    /// </summary>
    public static Grudge OneWayInbound(IReadOnlyList<string> side, IReadOnlyList<string> nodes)
    {
        var others = nodes.Where(n => !side.Contains(n)).ToList();
        return new Grudge { Drops = [.. side.Select(n => new Drop(n, others))] };
    }

    /// <summary>
    /// Every other node drops packets from the <paramref name="side"/>: it hears the rest, but cannot
    /// be heard outside the side.
    /// </summary>
    public static Grudge OneWayOutbound(IReadOnlyList<string> side, IReadOnlyList<string> nodes) =>
        new() { Drops = [.. nodes.Where(n => !side.Contains(n)).Select(n => new Drop(n, [.. side]))] };
}
