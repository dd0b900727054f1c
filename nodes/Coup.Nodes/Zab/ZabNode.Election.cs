namespace Coup.Nodes.Zab;

public sealed partial class ZabNode
{
    /// <summary>
    /// ZooKeeper's finalizeWait, "how much time a process has to wait once it believes that it has
    /// reached the end of leader election", in heartbeats: time for a late, better vote to arrive.
    /// </summary>
    public const int FinalizeWaitHeartbeats = 2;

    /// <summary>The election round: ZooKeeper's logical clock, incremented each time a node starts looking.</summary>
    private long _round;
    /// <summary>While looking, the vote this node proposes; afterwards, the vote that made its leader.</summary>
    private Vote _vote;
    /// <summary>The latest vote of each looking node in this round, this node's own included.</summary>
    private readonly Dictionary<int, Vote> _votes = [];
    /// <summary>What nodes already following or leading in an established epoch told this one.</summary>
    private readonly Dictionary<int, Notification> _settledVotes = [];
    private int? _finalizeTicksLeft;

    private Vote OwnVote => new(Id, _currentEpoch, _lastZxid);

    private int FinalizeWaitTicks => FinalizeWaitHeartbeats * _config.HeartbeatTicks;

    /// <summary>How often a node still looking sends its vote again, in case the last ones were lost.</summary>
    private int RenotifyTicks => _config.ElectionTicksMin;

    /// <summary>A new election: the logical clock moves on, and the node votes for itself.</summary>
    private void StartLooking()
    {
        FailPendingWrites();
        _state = ServerState.Looking;
        _established = false;
        _round++;
        _vote = OwnVote;
        _votes.Clear();
        _settledVotes.Clear();
        _finalizeTicksLeft = null;
        BroadcastVote();
        UpdateFinalizeWait(restart: true);
    }

    private void TickLooking()
    {
        if (_finalizeTicksLeft is { } left)
        {
            // No better vote came during the wait, and the quorum still agrees: conclude.
            _finalizeTicksLeft = left - 1;
            if (left <= 1)
            {
                Conclude(_vote);
            }
            return;
        }
        if (_elapsedTicks >= RenotifyTicks)
        {
            BroadcastVote();
        }
    }

    private void HandleNotification(Notification notification)
    {
        if (_state != ServerState.Looking)
        {
            // Only a settled ensemble answers: a node still in discovery does not know its epoch
            // yet, and the looking node asks again soon enough.
            if (notification.State == ServerState.Looking && _established)
            {
                Notify(notification.From);
            }
            return;
        }
        if (notification.State == ServerState.Looking)
        {
            HandleLookingVote(notification);
        }
        else
        {
            HandleSettledVote(notification);
        }
    }

    /// <summary>FastLeaderElection's main loop for a notification from another looking node.</summary>
    private void HandleLookingVote(Notification notification)
    {
        if (notification.Round < _round)
        {
            // It is behind: our notification brings it to our round.
            Notify(notification.From);
            return;
        }
        var before = _vote;
        if (notification.Round > _round)
        {
            // A newer election: start it afresh, judging the vote against our own rather than
            // against a proposal made in an election that is over.
            _round = notification.Round;
            _votes.Clear();
            _vote = notification.Vote.IsBetterThan(OwnVote) ? notification.Vote : OwnVote;
            BroadcastVote();
        }
        else if (notification.Vote.IsBetterThan(_vote))
        {
            _vote = notification.Vote;
            BroadcastVote();
        }
        else if (_vote.IsBetterThan(notification.Vote))
        {
            // Without this it would learn of the better vote only when we next send it to all.
            Notify(notification.From);
        }
        _votes[notification.From] = notification.Vote;
        UpdateFinalizeWait(restart: _vote != before);
    }

    /// <summary>
    /// A latecomer joins an ensemble that formed without it: a quorum of nodes says it follows or
    /// leads one leader in one epoch, and the leader itself says it leads (ZooKeeper's
    /// out-of-election votes and checkLeader). Its members may have joined by different votes,
    /// so only the leader and the epoch in force are compared.
    /// </summary>
    private void HandleSettledVote(Notification notification)
    {
        _settledVotes[notification.From] = notification;
        var vote = notification.Vote;
        var agreeing = _settledVotes.Values.Count(n => n.Vote.SameLeaderAndEpoch(vote));
        var leaderSaysSo = _settledVotes.TryGetValue(vote.Leader, out var leader)
            && leader.State == ServerState.Leading && leader.Vote.SameLeaderAndEpoch(vote);
        if (vote.Leader != Id && agreeing >= _config.Quorum && leaderSaysSo)
        {
            _round = notification.Round;
            Conclude(vote);
        }
    }

    /// <summary>Starts the finalize wait when a quorum agrees with our vote, or stops it when none does.</summary>
    private void UpdateFinalizeWait(bool restart)
    {
        _votes[Id] = _vote;
        if (_votes.Values.Count(v => v == _vote) < _config.Quorum)
        {
            _finalizeTicksLeft = null;
        }
        else if (restart || _finalizeTicksLeft is null)
        {
            _finalizeTicksLeft = FinalizeWaitTicks;
        }
    }

    private void Conclude(Vote vote)
    {
        _vote = vote;
        _finalizeTicksLeft = null;
        if (vote.Leader == Id)
        {
            BeginLeading();
        }
        else
        {
            BeginFollowing();
        }
    }

    private void BroadcastVote()
    {
        _elapsedTicks = 0;
        foreach (var peer in _config.Peers)
        {
            Notify(peer);
        }
    }

    /// <summary>A looking node sends its proposal; a settled one its leader and the epoch in force.</summary>
    private void Notify(int peer) => Send(new Notification
    {
        From = Id,
        To = peer,
        Round = _round,
        Vote = _state == ServerState.Looking ? _vote : new Vote(_vote.Leader, _currentEpoch, _lastZxid),
        State = _state,
    });
}
