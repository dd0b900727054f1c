namespace Coup.Nodes.Invitation;

public sealed partial class InvitationNode
{
    private int _leaderSilentTicks;
    private int _leaderTimeoutTicks;

    /// <summary>A member that loses its leader starts a group of its own again.</summary>
    private void TickMember()
    {
        _leaderSilentTicks++;
        if (_leaderSilentTicks >= _leaderTimeoutTicks)
        {
            FoundGroup();
        }
    }

    /// <summary>Randomized, so the members of a lost leader do not all found their groups at once.</summary>
    private void ResetLeaderTimer()
    {
        _leaderSilentTicks = 0;
        _leaderTimeoutTicks = _random.Next(_config.ElectionTicksMin, _config.ElectionTicksMax + 1);
    }

    private void HandleHeartbeat(Heartbeat heartbeat)
    {
        var ours = _role == Role.Follower && _leader == heartbeat.From && _group == heartbeat.Group;
        if (ours)
        {
            _leaderSilentTicks = 0;
            if (heartbeat.Term > _term)
            {
                _term = heartbeat.Term;
                AnnounceStatus();
            }
        }
        Send(new HeartbeatResponse { From = Id, To = heartbeat.From, Group = heartbeat.Group, Member = ours });
    }
}
