namespace Coup.Nodes.Zab;

public sealed partial class ZabNode
{
    /// <summary>
    /// An established follower acts on the tick that reaches its sync limit; an established leader on the one
    /// that reaches the ping interval or after which too few followers count as in sync. Every other state
    /// (looking, discovery) promises nothing; nor does a node with a status not yet announced.
    /// </summary>
    public int IdleTicks
    {
        get
        {
            if (!_ready.IsEmpty || Status != _announced || !_established)
            {
                return 0;
            }
            return _state switch
            {
                ServerState.Following => Math.Max(0, _syncLimitTicks - _elapsedTicks - 1),
                ServerState.Leading => QuorumActivity.TicksWhileCounted(_ticksSinceHeard.Values,
                    _config.ElectionTicksMin, _config.Quorum,
                    Math.Max(0, _config.HeartbeatTicks - _pingElapsedTicks - 1)),
                _ => 0,
            };
        }
    }
}
