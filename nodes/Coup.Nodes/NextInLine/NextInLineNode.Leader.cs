namespace Coup.Nodes.NextInLine;

public sealed partial class NextInLineNode
{
    /// <summary>For each peer that answered this leader, the ticks since it last did.</summary>
    private readonly Dictionary<int, int> _answeredTicksAgo = [];
    private int _heartbeatElapsedTicks;

    /// <summary>
    /// "해당 프로세스가 응답을 하고 바로 자신이 새로운 리더가 되어 나머지 노드에게
    /// 알림" (seed 004: that process answers, becomes the new leader at once and tells the rest). Its first list is
    /// the one it inherited, less itself, until the answers to its own heartbeats replace it.
    /// </summary>
    private void TakeOver()
    {
        _term++;
        Persist();
        _role = Role.Leader;
        _leader = Id;
        _answeredTicksAgo.Clear();
        foreach (var successor in _successors.Where(s => s != Id))
        {
            _answeredTicksAgo[successor] = 0;
        }
        AnnounceStatus();
        BroadcastHeartbeat();
    }

    private void TickLeader()
    {
        foreach (var peer in _answeredTicksAgo.Keys.ToList())
        {
            _answeredTicksAgo[peer]++;
        }
        _heartbeatElapsedTicks++;
        if (_heartbeatElapsedTicks >= _config.HeartbeatTicks)
        {
            BroadcastHeartbeat();
        }
    }

    /// <summary>
    /// Every peer gets the heartbeat, listed or not, so that a node back from a crash or a cut finds its leader.
    /// </summary>
    private void BroadcastHeartbeat()
    {
        _heartbeatElapsedTicks = 0;
        IReadOnlyList<int> successors =
        [
            .. _answeredTicksAgo
                .Where(a => a.Value < _config.ElectionTicksMin)
                .Select(a => a.Key)
                .OrderDescending(),
        ];
        foreach (var peer in _config.Peers)
        {
            Send(new Heartbeat
            {
                From = Id,
                To = peer,
                Term = _term,
                Successors = successors.Count > 0 ? successors : null,
            });
        }
    }

    private void HandleHeartbeatResponse(HeartbeatResponse response)
    {
        if (_role != Role.Leader)
        {
            return;
        }
        if (response.Term == _term && response.Leader == Id)
        {
            _answeredTicksAgo[response.From] = 0;
        }
        else if (response.Leader is { } leader && leader != Id && IsCurrent(response.Term, leader))
        {
            // Succeeded while it was cut off or paused.
            Follow(leader, response.Term);
        }
        else if (response.Leader is null && response.Term > _term)
        {
            // A node has seen a newer term but no leader of it: claiming that term could give it
            // two leaders, so this leader claims the one after it.
            _term = response.Term + 1;
            Persist();
            AnnounceStatus();
            BroadcastHeartbeat();
        }
    }
}
