namespace Coup.Nodes;

/// <summary>
/// The one rule that derives every random source of a run from the run's seed, in both runtimes:
/// each source is the run's seed hashed with a salt of its own (and the parts that tell its
/// instances apart), so no two sources share a stream and adding one changes no other.
/// </summary>
/// <remarks>
/// Deterministic across processes, unlike <see cref="HashCode.Combine{T1, T2}"/>, which .NET seeds
/// randomly per process: with it a seed reproduced a run only within the process that first ran it.
/// </remarks>
public static class Seeds
{
    private const int ScheduleSalt = 0x5c4ed;
    private const int NetworkSalt = 0x4e7;
    private const int ClientSalt = 0x5eed;
    private const int PacketsSalt = 0x9ac7;
    private const int TimelineSalt = 0x71e1;
    private const int SwarmSalt = 0x5a4a;

    /// <summary>The fault schedule: kinds, times, holds and the seeds of each fault's choices.</summary>
    public static int Schedule(int runSeed) => Derive(runSeed, ScheduleSalt);

    /// <summary>
    /// A nemesis timeline's draws: its mixes' faults, and the choice seeds of faults that name none.
    /// </summary>
    public static int Timeline(int runSeed) => Derive(runSeed, TimelineSalt);

    /// <summary>
    /// <c>coup swarm</c>'s draw of a run's options (fault kinds, interval, size, workload): the run itself
    /// then draws from its other sources, so the drawn options written out replay it with <c>coup run</c>.
    /// </summary>
    public static int Swarm(int runSeed) => Derive(runSeed, SwarmSalt);

    /// <summary>The simulator's network: message delays and drops.</summary>
    public static int Network(int runSeed) => Derive(runSeed, NetworkSalt);

    /// <summary>
    /// One boot of one node (its election timeouts): the same in a container and in the simulator,
    /// and new at each restart, as a real process's would be.
    /// </summary>
    /// <param name="incarnation">1 for the node's first boot, then one more at each restart.</param>
    public static int Node(int runSeed, int nodeId, int incarnation) => Derive(runSeed, nodeId, incarnation);

    /// <summary>One client process of the workload: its pacing and random picks.</summary>
    public static int Client(int runSeed, int process) => Derive(runSeed, ClientSalt, process);

    /// <summary>
    /// The packet shaping of the link from one node to a peer, for one boot of the sender: the same
    /// in the node host's peer link and in the simulator's link, and new at each restart.
    /// </summary>
    public static int Packets(int runSeed, int fromId, int toId, int incarnation) =>
        Derive(runSeed, PacketsSalt, fromId, toId, incarnation);

    public static int Derive(int seed, params int[] parts)
    {
        unchecked
        {
            // FNV-1a over the 32-bit words.
            var hash = 2166136261u;
            foreach (var word in parts.Prepend(seed))
            {
                for (var shift = 0; shift < 32; shift += 8)
                {
                    hash = (hash ^ (uint)((word >> shift) & 0xff)) * 16777619u;
                }
            }
            return (int)hash;
        }
    }
}
