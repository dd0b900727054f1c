namespace Coup.Nodes.Invitation;

public sealed partial class InvitationNode
{
    /// <summary>
    /// A merge this node agreed to as the smaller group's leader, awaiting the other's <see cref="Join"/>.
    /// </summary>
    private readonly record struct PendingMerge(int Inviter, GroupId Group);

    private PendingMerge? _pendingMerge;
    private int _pendingMergeTicks;

    /// <summary>
    /// "초대를 받은 프로세스가 리더라면 두 그룹을 병합한다" (seed 004): only a leader merges; a
    /// member leaves it to its leader, who is outside the inviter's group too and gets its own invitation.
    /// "큰 그룹의 리더가 병합된 그룹의 리더가 되어야 한다": the larger group's leader leads (ties
    /// to the higher id), so the smaller group accepts, and the larger ignores the invitation and sends its own.
    /// </summary>
    private void HandleInvite(Invite invite)
    {
        if (_role != Role.Leader
            || _pendingMerge is not null
            || (invite.Size, invite.From).CompareTo((GroupSize, Id)) <= 0)
        {
            return;
        }
        Send(new Accept
        {
            From = Id,
            To = invite.From,
            Group = invite.Group,
            Members = _members.Count > 0 ? [.. _members.Keys.Order()] : null,
        });
        MergeMessagesSent++;
        _pendingMerge = new PendingMerge(invite.From, invite.Group);
        _pendingMergeTicks = 0;
    }

    /// <summary>
    /// The larger group takes in the accepting leader and its members. The join stands in for
    /// this round's heartbeat, so that no heartbeat of the new group reaches a newcomer before it.
    /// </summary>
    private void HandleAccept(Accept accept)
    {
        if (_role != Role.Leader || _pendingMerge is not null || accept.Group != _group)
        {
            // No longer the group it accepted to join; it gives up waiting and goes on leading.
            return;
        }
        var newcomers = (accept.Members ?? [])
            .Prepend(accept.From)
            .Where(n => n != Id && !_members.ContainsKey(n))
            .ToList();
        if (newcomers.Count == 0)
        {
            return;
        }
        _term++;
        foreach (var newcomer in newcomers)
        {
            _members[newcomer] = 0;
            Send(new Join { From = Id, To = newcomer, Group = _group, Term = _term, Via = accept.From });
        }
        MergeMessagesSent += newcomers.Count;
        MergesLed++;
        _heartbeatElapsedTicks = 0;
        AnnounceStatus();
    }

    /// <summary>A node follows a merge its own leader agreed to (or that it agreed to itself), no other.</summary>
    private void HandleJoin(Join join)
    {
        var agreed = _role == Role.Leader
            ? _pendingMerge == new PendingMerge(join.From, join.Group)
            : _leader == join.Via;
        if (agreed)
        {
            Follow(join.From, join.Group, join.Term);
        }
    }

    /// <summary>A merge whose join never came (the inviter merged elsewhere, or was cut off) is given up.</summary>
    private void TickPendingMerge()
    {
        _pendingMergeTicks++;
        if (_pendingMergeTicks >= _config.ElectionTicksMin)
        {
            _pendingMerge = null;
            ResetInviteTimer();
        }
    }
}
