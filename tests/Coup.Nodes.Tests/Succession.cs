using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// What the tests of the rank-based algorithms (next-in-line, candidate/ordinary, ring) share: a
/// settled cluster, its leaders, and what replacing a killed leader cost.
/// </summary>
internal static class Succession
{
    internal static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    internal static SimulatedCluster Settled(string algorithm, int seed, int nodes = 5)
    {
        var cluster = new SimulatedCluster(algorithm, nodes, seed);
        cluster.Start();
        cluster.RunFor(Settle);
        return cluster;
    }

    internal static List<string> Leaders(SimulatedCluster cluster) =>
        [.. cluster.Names.Where(n => cluster.IsUp(n) && cluster.StatusOf(n)!.Role == Role.Leader)];

    /// <summary>
    /// The one leader, after checking that every live node in
    /// <paramref name="nodes"/> (default: all) follows it in its term.
    /// </summary>
    internal static string SoleLeader(SimulatedCluster cluster, IEnumerable<string>? nodes = null)
    {
        var live = (nodes ?? cluster.Names).Where(cluster.IsUp).ToList();
        var leader = Assert.Single(live, n => cluster.StatusOf(n)!.Role == Role.Leader);
        var claim = (NodeNames.IdOf(leader), cluster.StatusOf(leader)!.Term);
        Assert.All(
            live,
            n => Assert.Equal<(int?, long)>(claim, (cluster.StatusOf(n)!.Leader, cluster.StatusOf(n)!.Term)));
        return leader;
    }

    /// <summary>The node every live node follows, and which itself leads; null while they disagree.</summary>
    private static string? AgreedLeader(SimulatedCluster cluster)
    {
        var live = cluster.Names.Where(cluster.IsUp).ToList();
        var leaders = live.Where(n => cluster.StatusOf(n)!.Role == Role.Leader).ToList();
        if (leaders.Count != 1)
        {
            return null;
        }
        var (id, term) = (NodeNames.IdOf(leaders[0]), cluster.StatusOf(leaders[0])!.Term);
        return live.All(n => cluster.StatusOf(n)!.Leader == id && cluster.StatusOf(n)!.Term == term)
            ? leaders[0]
            : null;
    }

    /// <summary>What killing the leader of a settled cluster cost until every live node followed a new one.</summary>
    internal sealed record Replacement(string OldLeader, string NewLeader, int Messages, int Rounds, double Ms);

    /// <summary>
    /// Kills <paramref name="victims"/> (default: the leader) and runs until every live node follows
    /// one new leader. Messages are all that were sent from the kill on; rounds are the causal
    /// depth of the new leader's claim, as <c>coup compare</c> measures them.
    /// </summary>
    internal static Replacement ReplaceLeader(SimulatedCluster cluster, params string[] victims)
    {
        var oldLeader = SoleLeader(cluster);
        var claims = new List<SimulatedStatus>();
        cluster.StatusChanged += s => { if (s.Status.Role == Role.Leader) { claims.Add(s); } };
        cluster.ResetCausality();
        var (messagesBefore, killedNs) = (cluster.MessagesSent, cluster.NowNs);
        foreach (var victim in victims.Length > 0 ? victims : [oldLeader])
        {
            cluster.Kill(victim);
        }
        var deadlineNs = killedNs + (long)(Settle.TotalMilliseconds * 1e6);
        while (cluster.NowNs < deadlineNs)
        {
            cluster.RunFor(TimeSpan.FromMilliseconds(1));
            if (AgreedLeader(cluster) is { } leader && leader != oldLeader)
            {
                var claim = claims.Last(c => c.Node == leader);
                return new Replacement(
                    oldLeader,
                    leader,
                    cluster.MessagesSent - messagesBefore,
                    claim.CausalDepth,
                    (cluster.NowNs - killedNs) / 1e6);
            }
        }
        throw new Xunit.Sdk.XunitException(
            $"no new leader within {Settle} of killing {string.Join(",", victims.DefaultIfEmpty(oldLeader))}");
    }

    /// <summary>
    /// Every status change of a run with a kill and a partition, with its virtual time: equal for equal seeds.
    /// </summary>
    internal static List<string> History(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 5, seed);
        var seen = new List<string>();
        cluster.StatusChanged += s => seen.Add($"{cluster.NowNs} {s.Node} {s.Status}");
        cluster.Start();
        cluster.RunFor(Settle);
        cluster.Kill(SoleLeader(cluster));
        cluster.RunFor(Settle);
        cluster.Partition(Coup.Faults.Grudge.Bisect(cluster.Names));
        cluster.RunFor(Settle);
        return seen;
    }
}
