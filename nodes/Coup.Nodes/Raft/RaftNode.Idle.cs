namespace Coup.Nodes.Raft;

public sealed partial class RaftNode
{
    /// <summary>
    /// A follower or candidate acts on the tick that reaches its election timeout; a leader on the one that
    /// reaches the heartbeat interval or, with check-quorum, the first one after which too few peers count
    /// as heard from. Every tick before those only counts.
    /// </summary>
    public int IdleTicks
    {
        get
        {
            if (!_ready.IsEmpty)
            {
                return 0;
            }
            if (_role != Role.Leader)
            {
                return Math.Max(0, _electionTimeoutTicks - _electionElapsedTicks - 1);
            }
            var idle = Math.Max(0, _config.HeartbeatTicks - _heartbeatElapsedTicks - 1);
            return _options.CheckQuorum
                ? QuorumActivity.TicksWhileCounted(
                    _ticksSinceHeard.Values, _config.ElectionTicksMin, _config.Quorum, idle)
                : idle;
        }
    }
}
