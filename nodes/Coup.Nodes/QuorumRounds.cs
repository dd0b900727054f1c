namespace Coup.Nodes;

/// <summary>
/// A leader's rule for acknowledging writes without a log: a write waits for the next round the
/// leader sends (a heartbeat, a replication round), and is acknowledged once a quorum, the leader
/// included, has answered that round or a later one. An answer to a round sent before the write
/// arrived proves nothing about it.
/// </summary>
public sealed class QuorumRounds(int quorum)
{
    private readonly Dictionary<int, long> _answered = [];
    private readonly List<(long WriteId, long Round)> _waiting = [];

    /// <summary>The number of the latest round sent.</summary>
    public long Round { get; private set; }

    /// <summary>Numbers a new round; send it to every peer.</summary>
    public long NextRound() => ++Round;

    /// <summary>Holds a write until a quorum answered the latest round (call after <see cref="NextRound"/>).</summary>
    public IReadOnlyList<long> Hold(long writeId)
    {
        _waiting.Add((writeId, Round));
        return Released();
    }

    /// <summary>
    /// Records that <paramref name="peer"/> answered round
    /// <paramref name="round"/>; returns the writes now acknowledged.
    /// </summary>
    public IReadOnlyList<long> Answered(int peer, long round)
    {
        _answered[peer] = Math.Max(_answered.GetValueOrDefault(peer), round);
        return Released();
    }

    /// <summary>Hands back the writes still waiting, to be refused: the leader lost its claim.</summary>
    public IReadOnlyList<long> Abandon()
    {
        var abandoned = _waiting.ConvertAll(w => w.WriteId);
        _waiting.Clear();
        return abandoned;
    }

    /// <summary>
    /// Forgets every answer (a new reign); round numbers keep rising, so an old answer never counts for a new round.
    /// </summary>
    public void ForgetAnswers() => _answered.Clear();

    /// <remarks>
    /// Asked on every answer, so it counts without sorting or allocating: the waiting writes are in the order of
    /// their rounds (round numbers only rise), so those released are the first ones.
    /// </remarks>
    private IReadOnlyList<long> Released()
    {
        if (_waiting.Count == 0)
        {
            return [];
        }
        var confirmed = Confirmed();
        var count = 0;
        while (count < _waiting.Count && _waiting[count].Round <= confirmed)
        {
            count++;
        }
        if (count == 0)
        {
            return [];
        }
        var released = new long[count];
        for (var i = 0; i < count; i++)
        {
            released[i] = _waiting[i].WriteId;
        }
        _waiting.RemoveRange(0, count);
        return released;
    }

    /// <summary>
    /// The quorum-th highest answer, counting the leader's own, which answers every round: the highest round that
    /// at least quorum - 1 peers answered (0 when none did).
    /// </summary>
    private long Confirmed()
    {
        if (quorum <= 1)
        {
            return long.MaxValue;
        }
        var confirmed = 0L;
        foreach (var candidate in _answered.Values)
        {
            if (candidate > confirmed && AnsweredAtLeast(candidate) >= quorum - 1)
            {
                confirmed = candidate;
            }
        }
        return confirmed;
    }

    private int AnsweredAtLeast(long round)
    {
        var count = 0;
        foreach (var answered in _answered.Values)
        {
            count += answered >= round ? 1 : 0;
        }
        return count;
    }
}
