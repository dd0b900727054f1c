using Coup.Faults;
using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>
/// When and where a client process writes, the same in both runtimes. Like etcd's clientv3 or a
/// Kafka producer, a client sends to the leader it has learnt of; here it learns from the observer:
/// a node that last said it leads the write's group. Where several still say so (a stale leader
/// beside its successor), one at random, as clients whose metadata is of different ages would: a
/// stale leader that still acknowledges so gets writes, which is how its writes reach the history.
/// While no node claims the group (none elected yet, or the leader's stream is down), any node at random.
/// </summary>
public static class WriteRouting
{
    /// <summary>What a client following the observed leader does, as the run's history says it.</summary>
    public const string FollowsObservedLeader = "sent to the leader the observer last saw, else a random node";

    /// <summary>The random source of one client process (pacing, random picks), from the run's seed.</summary>
    public static Random ForProcess(int seed, int process) => new(Seeds.Client(seed, process));

    /// <summary>The wait before a process's next write: about 1/rate, uniformly 0.5 to 1.5 times it.</summary>
    public static long GapNs(double writeRateHz, Random random) =>
        (long)(1e9 / writeRateHz * (0.5 + random.NextDouble()));

    /// <summary>The group a write belongs to: the algorithm's partition for it, else <c>default</c>.</summary>
    public static string GroupOf(IAlgorithmDefinition? algorithm, long value) =>
        algorithm?.GroupOfWrite(value) ?? "default";

    /// <summary>
    /// The node a write to <paramref name="group"/> goes to. <paramref name="words"/> is what each
    /// node last said in each group it speaks for, as the observer holds it (nothing for a node
    /// whose stream is down). One of the claimants of the group at random, else any node at random.
    /// </summary>
    public static string Choose(
        string group, IEnumerable<(string Node, NodeStatus Status)> words, IReadOnlyList<string> nodes, Random random)
    {
        // Each claimant once, in the order first heard; a list only when there are two (asked on every write).
        string? claimant = null;
        List<string>? claimants = null;
        foreach (var (node, status) in words)
        {
            if (status.Role != Role.Leader || status.Group != group || node == claimant
                || claimants?.Contains(node) == true)
            {
                continue;
            }
            if (claimant is null)
            {
                claimant = node;
            }
            else
            {
                (claimants ??= [claimant]).Add(node);
            }
        }
        return claimants is { } several ? several[random.Next(several.Count)]
            : claimant ?? nodes[random.Next(nodes.Count)];
    }

    /// <summary>What the clients of a run did, for its history and report.</summary>
    public static string Describe(int clients, double writeRateHz, string routing) =>
        clients == 0 ? "no clients"
            : $"{clients} client{(clients == 1 ? "" : "s")}, {writeRateHz:0.###} writes/s each, {routing}";
}
