namespace Coup.Nodes.Invitation;

public sealed partial class InvitationNode
{
    /// <summary>For each member (this node aside), the ticks since it last answered a heartbeat.</summary>
    private readonly Dictionary<int, int> _members = [];
    private int _heartbeatElapsedTicks;
    private int _inviteElapsedTicks;
    private int _inviteTimeoutTicks;

    private int GroupSize => 1 + _members.Count;

    /// <summary>As long as a member waits for its leader before it founds a group of its own.</summary>
    private int MemberTimeoutTicks => _config.ElectionTicksMax;

    private void ClearLeaderState()
    {
        _members.Clear();
        _pendingMerge = null;
    }

    private void TickLeader()
    {
        DropSilentMembers();
        _heartbeatElapsedTicks++;
        if (_heartbeatElapsedTicks >= _config.HeartbeatTicks)
        {
            BroadcastHeartbeat();
        }
        if (_pendingMerge is not null)
        {
            TickPendingMerge();
            return;
        }
        _inviteElapsedTicks++;
        if (_inviteElapsedTicks >= _inviteTimeoutTicks)
        {
            InviteOutsiders();
        }
    }

    /// <summary>
    /// Every node outside the group is invited, since a leader cannot tell which of them lead:
    /// members of other groups ignore the invitation and their leaders answer it.
    /// </summary>
    private void InviteOutsiders()
    {
        ResetInviteTimer();
        foreach (var outsider in _config.Peers.Where(p => !_members.ContainsKey(p)))
        {
            Send(new Invite { From = Id, To = outsider, Group = _group, Size = GroupSize });
        }
    }

    /// <summary>Randomized, so that two leaders seldom invite each other at the same moment.</summary>
    private void ResetInviteTimer()
    {
        _inviteElapsedTicks = 0;
        _inviteTimeoutTicks = _random.Next(_config.ElectionTicksMin, _config.ElectionTicksMax + 1);
    }

    private void BroadcastHeartbeat()
    {
        _heartbeatElapsedTicks = 0;
        foreach (var member in _members.Keys)
        {
            Send(new Heartbeat { From = Id, To = member, Group = _group, Term = _term });
        }
    }

    private void HandleHeartbeatResponse(HeartbeatResponse response)
    {
        if (_role != Role.Leader || response.Group != _group || !_members.ContainsKey(response.From))
        {
            return;
        }
        if (response.Member)
        {
            _members[response.From] = 0;
        }
        else
        {
            LoseMembers([response.From]);
        }
    }

    private void DropSilentMembers()
    {
        foreach (var member in _members.Keys.ToList())
        {
            _members[member]++;
        }
        var silent = _members.Where(m => m.Value >= MemberTimeoutTicks).Select(m => m.Key).ToList();
        if (silent.Count > 0)
        {
            LoseMembers(silent);
        }
    }

    /// <summary>A leader that loses members keeps leading whoever is left; the new term marks the change.</summary>
    private void LoseMembers(IReadOnlyList<int> lost)
    {
        foreach (var member in lost)
        {
            _members.Remove(member);
        }
        _term++;
        AnnounceStatus();
    }
}
