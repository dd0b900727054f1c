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
            return _options.CheckQuorum ? Math.Min(idle, TicksWhileQuorumActive(idle)) : idle;
        }
    }

    /// <summary>How many of the next ticks (up to <paramref name="limit"/>) keep a quorum counted as active.</summary>
    private int TicksWhileQuorumActive(int limit)
    {
        for (var ticks = 1; ticks <= limit; ticks++)
        {
            var active = 1;
            foreach (var sinceHeard in _ticksSinceHeard.Values)
            {
                active += sinceHeard + ticks < _config.ElectionTicksMin ? 1 : 0;
            }
            if (active < _config.Quorum)
            {
                return ticks - 1;
            }
        }
        return limit;
    }
}
