using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>Where a client sends a write, the same way in both runtimes.</summary>
public static class WriteRouting
{
    /// <summary>
    /// For an algorithm whose writes belong to a group (a partition), a node that last said it
    /// leads that group, chosen at random among claimants as a client with stale metadata might;
    /// otherwise, or while none claims it, any node at random, as Jepsen's clients do.
    /// </summary>
    public static string Choose(IAlgorithmDefinition algorithm, long value, IReadOnlyList<string> nodes, Func<string, IEnumerable<string>> claimants, Random random)
    {
        if (algorithm.GroupOfWrite(value) is { } group && claimants(group).ToList() is { Count: > 0 } leaders)
        {
            return leaders[random.Next(leaders.Count)];
        }
        return nodes[random.Next(nodes.Count)];
    }
}
