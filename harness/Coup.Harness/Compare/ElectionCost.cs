using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Harness.Compare;

/// <summary>What one election cost after the leader died: messages until every live node agreed, and rounds.</summary>
public sealed record ElectionCost(int Messages, int Rounds, double LatencyMs)
{
    /// <summary>The mean of several elections (messages and rounds rounded), or null if there were none.</summary>
    public static ElectionCost? Mean(IReadOnlyCollection<ElectionCost> costs) => costs.Count == 0
        ? null
        : new ElectionCost(
            (int)Math.Round(costs.Average(c => c.Messages)),
            (int)Math.Round(costs.Average(c => c.Rounds)),
            costs.Average(c => c.LatencyMs));
}

/// <summary>
/// Measures, in the simulator, what replacing a killed leader costs each algorithm: the messages
/// sent from the kill until every live node follows the new leader, and the rounds, i.e. the
/// longest chain of sequential message hops that led to the new leader's claim.
/// </summary>
public static class ElectionCosts
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);
    private const long StepNs = 1_000_000;

    /// <param name="template">The nodes' timing (election timeout, heartbeat); null for the defaults.</param>
    public static ElectionCost? Measure(string algorithm, int nodes, int seed, ClusterConfig? template = null)
    {
        var cluster = new SimulatedCluster(algorithm, nodes, seed, template);
        var claims = new List<SimulatedStatus>();
        cluster.StatusChanged += s => { if (s.Status.Role == Role.Leader) { claims.Add(s); } };
        cluster.Start();
        cluster.RunFor(Settle);
        var leader = Leader(cluster);
        if (leader is null)
        {
            return null;
        }
        var oldTerm = cluster.StatusOf(leader)!.Term;
        cluster.ResetCausality();
        claims.Clear();
        var messagesBefore = cluster.MessagesSent;
        var killedAtNs = cluster.NowNs;
        cluster.Kill(leader);
        var deadlineNs = cluster.NowNs + (long)(GiveUp.TotalMilliseconds * 1e6);
        while (cluster.NowNs < deadlineNs)
        {
            cluster.RunUntil(cluster.NowNs + StepNs);
            var successor = Leader(cluster);
            if (successor is not null && successor != leader && cluster.StatusOf(successor)!.Term > oldTerm)
            {
                var claim = claims.Last(
                    c => c.Node == successor && c.Status.Group == cluster.StatusOf(successor)!.Group);
                return new ElectionCost(
                    cluster.MessagesSent - messagesBefore, claim.CausalDepth, (cluster.NowNs - killedAtNs) / 1e6);
            }
        }
        return null;
    }

    /// <summary>The node every live node follows, and which itself claims to lead; null while they disagree.</summary>
    private static string? Leader(SimulatedCluster cluster)
    {
        var live = cluster.Names.Where(cluster.IsUp).Select(n => (Name: n, Status: cluster.StatusOf(n)!)).ToList();
        var claimant = live.Where(s => s.Status.Role == Role.Leader).Select(s => s.Name).ToList();
        if (claimant.Count != 1)
        {
            return null;
        }
        var leaderId = NodeNames.IdOf(claimant[0]);
        var term = cluster.StatusOf(claimant[0])!.Term;
        return live.All(s => s.Status.Leader == leaderId && s.Status.Term == term) ? claimant[0] : null;
    }
}
