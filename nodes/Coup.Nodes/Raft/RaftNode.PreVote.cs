namespace Coup.Nodes.Raft;

public sealed partial class RaftNode
{
    private readonly HashSet<int> _preVotesGranted = [];
    /// <summary>Asking for pre-votes: announced as a candidate, but still in the old term.</summary>
    private bool _preCandidate;

    /// <summary>
    /// "A candidate only increments its term if it first learns from a majority of the cluster that
    /// they would be willing to grant the candidate their votes" (thesis, section 9.6). A node cut
    /// off from the majority therefore never raises its term, and cannot depose the leader on return.
    /// </summary>
    private void PreCampaign()
    {
        var changed = _role != Role.Candidate || _leader is not null;
        _role = Role.Candidate;
        _preCandidate = true;
        _leader = null;
        _preVotesGranted.Clear();
        _preVotesGranted.Add(Id);
        ResetElectionTimer();
        if (changed)
        {
            AnnounceStatus();
        }
        foreach (var peer in _config.Peers)
        {
            Send(new PreVote { From = Id, To = peer, Term = _term + 1 });
        }
        if (_preVotesGranted.Count >= _config.Quorum)
        {
            Campaign();
        }
    }

    private void StepPreVote(Message message)
    {
        switch (message)
        {
            case PreVote request:
                // "...and the voters have not received heartbeats from a valid leader for at least a
                // baseline election timeout" (thesis, section 9.6); nor is the asker's term older.
                var granted = request.Term > _term && !HeardFromLeaderRecently;
                Send(new PreVoteResponse
                {
                    From = Id,
                    To = request.From,
                    Term = granted ? request.Term : _term,
                    Granted = granted,
                });
                break;
            case PreVoteResponse { Granted: false } refusal when refusal.Term > _term:
                // The voter is in a later term: catch up rather than keep asking for one it has passed.
                BecomeFollower(refusal.Term, null);
                break;
            case PreVoteResponse { Granted: true } grant when _preCandidate && grant.Term == _term + 1:
                _preVotesGranted.Add(grant.From);
                if (_preVotesGranted.Count >= _config.Quorum)
                {
                    Campaign();
                }
                break;
        }
    }
}
