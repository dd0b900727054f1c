namespace Coup.Nodes.Raft;

/// <summary>A mistake built into a Raft variant on purpose, so the checkers can be shown to catch it.</summary>
public enum RaftFlaw
{
    None,
    /// <summary>
    /// votedFor is never written to stable storage (the term is): a node that restarts within a
    /// term has forgotten whom it voted for, and can vote a second time in that term.
    /// </summary>
    ForgetsVote,
    /// <summary>
    /// A vote request is never judged by its term: one from an older term is taken as news, so the
    /// voter moves back to that term and, remembering only its vote for the term it just left,
    /// grants it even if it already voted for someone else in that older term.
    /// </summary>
    NoTermCheck,
}

/// <summary>How a <see cref="RaftNode"/> departs from the plain algorithm of the Raft paper.</summary>
public sealed record RaftOptions
{
    /// <summary>
    /// Pre-vote (Raft thesis, section 9.6): a would-be candidate first asks whether a majority would
    /// vote for it in the next term, and only then increments its term.
    /// </summary>
    public bool PreVote { get; init; }

    /// <summary>
    /// Check-quorum with the leader lease, as etcd's raft does: a leader that has not heard from a
    /// majority for an election timeout steps down, and a node that heard from a leader within the
    /// minimum election timeout ignores vote requests of a higher term.
    /// </summary>
    public bool CheckQuorum { get; init; }

    public RaftFlaw Flaw { get; init; } = RaftFlaw.None;

    public static RaftOptions Plain { get; } = new();
}
