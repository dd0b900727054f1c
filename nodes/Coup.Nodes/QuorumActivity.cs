namespace Coup.Nodes;

/// <summary>
/// A leader's count of the peers it has heard from lately (Raft's check-quorum, ZAB's sync limit): a peer
/// counts while fewer than the least election timeout's ticks passed since it last answered, the leader
/// always. One rule for the check each tick and for how many ticks it will still pass.
/// </summary>
public static class QuorumActivity
{
    /// <summary>
    /// The nodes counted, the leader included, once <paramref name="aheadTicks"/> more ticks pass without an
    /// answer, given the ticks since each peer last answered.
    /// </summary>
    public static int Counted(IEnumerable<int> ticksSinceHeard, int electionTicksMin, int aheadTicks = 0) =>
        1 + ticksSinceHeard.Count(ticks => ticks + aheadTicks < electionTicksMin);

    /// <summary>
    /// How many of the next ticks (up to <paramref name="limit"/>) keep <paramref name="quorum"/> counted.
    /// </summary>
    public static int TicksWhileCounted(
        IReadOnlyCollection<int> ticksSinceHeard, int electionTicksMin, int quorum, int limit)
    {
        for (var ticks = 1; ticks <= limit; ticks++)
        {
            if (Counted(ticksSinceHeard, electionTicksMin, ticks) < quorum)
            {
                return ticks - 1;
            }
        }
        return limit;
    }
}
