namespace Coup.Nodes.Raft;

public sealed partial class RaftNode
{
    private readonly HashSet<int> _votesGranted = [];

    /// <summary>
    /// "To begin an election, a follower increments its current term and transitions to candidate state."
    /// </summary>
    private void Campaign()
    {
        _term++;
        _votedFor = Id;
        _role = Role.Candidate;
        _preCandidate = false;
        _leader = null;
        _votesGranted.Clear();
        _votesGranted.Add(Id);
        ResetElectionTimer();
        PersistHardState();
        AnnounceStatus();
        foreach (var peer in _config.Peers)
        {
            Send(new RequestVote { From = Id, To = peer, Term = _term });
        }
        if (_votesGranted.Count >= _config.Quorum)
        {
            BecomeLeader();
        }
    }

    /// <summary>
    /// "Each server will vote for at most one candidate in a given term, on a first-come-first-served basis."
    /// </summary>
    private void HandleRequestVote(RequestVote vote)
    {
        var granted = _votedFor is null || _votedFor == vote.From;
        if (granted && _votedFor is null)
        {
            _votedFor = vote.From;
            PersistHardState();
        }
        if (granted)
        {
            ResetElectionTimer();
        }
        Send(new VoteResponse { From = Id, To = vote.From, Term = _term, Granted = granted });
    }

    private void HandleVoteResponse(VoteResponse response)
    {
        if (!response.Granted)
        {
            return;
        }
        _votesGranted.Add(response.From);
        if (_votesGranted.Count >= _config.Quorum)
        {
            BecomeLeader();
        }
    }

    private void HandleHeartbeat(Heartbeat heartbeat)
    {
        // Same term: whoever sends heartbeats won this term's election.
        if (_role != Role.Follower || _leader != heartbeat.From)
        {
            BecomeFollower(_term, heartbeat.From);
        }
        ResetElectionTimer();
        Send(new HeartbeatResponse
        {
            From = Id,
            To = heartbeat.From,
            Term = _term,
            Sequence = heartbeat.Sequence,
        });
    }
}
