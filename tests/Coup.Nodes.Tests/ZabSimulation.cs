using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// What the ZAB test classes share: a settled five-node cluster and ways to read its leader, epochs and claims.
/// </summary>
internal static class ZabSimulation
{
    internal static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    internal static SimulatedCluster Settled(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        return cluster;
    }

    internal static string SoleLeader(SimulatedCluster cluster) =>
        Assert.Single(cluster.Names, n => cluster.StatusOf(n)?.Role == Role.Leader);

    internal static long EpochOf(SimulatedCluster cluster, string node) => cluster.StatusOf(node)!.Term;

    /// <summary>
    /// Every node in <paramref name="nodes"/> follows (or is) <paramref name="leader"/> in its epoch.
    /// </summary>
    internal static void AssertAllFollow(SimulatedCluster cluster, IEnumerable<string> nodes, string leader) =>
        Assert.All(nodes, n => Assert.Equal(
            (NodeNames.IdOf(leader), EpochOf(cluster, leader)),
            (cluster.StatusOf(n)!.Leader, EpochOf(cluster, n))));

    /// <summary>Every (node, epoch) that claimed leadership during a run.</summary>
    internal sealed class Claims
    {
        public HashSet<(string Node, long Epoch)> Seen { get; } = [];

        public Claims(SimulatedCluster cluster) => cluster.StatusChanged += s =>
        {
            if (s.Status.Role == Role.Leader)
            {
                Seen.Add((s.Node, s.Status.Term));
            }
        };

        public IReadOnlyList<long> EpochsWithTwoLeaders =>
            [.. Seen.GroupBy(c => c.Epoch).Where(g => g.Count() > 1).Select(g => g.Key).Order()];
    }
}
