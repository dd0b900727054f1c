namespace Coup.Nodes.Raft;

public sealed partial class RaftNode
{
    /// <summary>For each peer, the ticks since it last answered one of our heartbeats.</summary>
    private readonly Dictionary<int, int> _ticksSinceHeard = [];

    /// <summary>A new leader gives every peer a full election timeout to answer its first heartbeat.</summary>
    private void ResetQuorumActivity()
    {
        foreach (var peer in _config.Peers)
        {
            _ticksSinceHeard[peer] = 0;
        }
    }

    private void MarkActive(int peer) => _ticksSinceHeard[peer] = 0;

    /// <summary>
    /// "The leader steps down if an election timeout elapses without a successful round of
    /// heartbeats to a majority of its cluster" (thesis, section 6.2). Checked every tick against
    /// the minimum election timeout: about when the followers it lost may start electing a successor.
    /// </summary>
    private bool QuorumStillActive()
    {
        foreach (var peer in _config.Peers)
        {
            _ticksSinceHeard[peer]++;
        }
        return QuorumActivity.Counted(_ticksSinceHeard.Values, _config.ElectionTicksMin) >= _config.Quorum;
    }
}
