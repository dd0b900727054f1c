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
        var abandoned = _waiting.Select(w => w.WriteId).ToList();
        _waiting.Clear();
        return abandoned;
    }

    /// <summary>
    /// Forgets every answer (a new reign); round numbers keep rising, so an old answer never counts for a new round.
    /// </summary>
    public void ForgetAnswers() => _answered.Clear();

    private List<long> Released()
    {
        if (_waiting.Count == 0)
        {
            return [];
        }
        // The quorum-th highest answer, counting the leader's own, which answers every round.
        var answers = _answered.Values.Append(long.MaxValue).OrderDescending().ToList();
        var confirmed = answers.Count >= quorum ? answers[quorum - 1] : 0;
        var released = _waiting.Where(w => w.Round <= confirmed).Select(w => w.WriteId).ToList();
        _waiting.RemoveAll(w => w.Round <= confirmed);
        return released;
    }
}
