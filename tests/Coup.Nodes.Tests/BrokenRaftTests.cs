using Coup.Faults;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// The broken Raft variants exist to prove that election safety gets checked: each has a fault
/// schedule under which it elects two leaders of one term, and plain Raft under the same schedule
/// and seed does not. Both schedules run three nodes and end with the same picture: the leader of
/// term T cut off on its own, and the node it replaced coming back in term T - 1 beside the only
/// node that voted in T. Its campaign for T must fail, since that voter already gave its vote in T.
/// </summary>
public sealed class BrokenRaftTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A clock this slow ticks once per half second, so another node's election timer (150-300 ms) fires first.
    /// </summary>
    private static readonly ClockChange NearlyStopped = new() { Rate = 0.01 };

    /// <summary>Back to full speed without a step, which would fire a burst of ticks at once.</summary>
    private static readonly ClockChange RunningNormally = new() { Rate = 1 };

    /// <summary>Who holds which part in a schedule, once the first leader has been replaced.</summary>
    private sealed record Cast(string Deposed, string Leader, string Voter, long Term);

    /// <summary>Every (node, term) that claimed leadership during the run.</summary>
    private sealed class Claims
    {
        public HashSet<(string Node, long Term)> Seen { get; } = [];

        public Claims(SimulatedCluster cluster) => cluster.StatusChanged += s =>
        {
            if (s.Status.Role == Role.Leader)
            {
                Seen.Add((s.Node, s.Status.Term));
            }
        };

        /// <summary>Raft's Election Safety, "at most one leader can be elected in a given term" (Figure 3).</summary>
        public IReadOnlyList<long> TermsWithTwoLeaders =>
            [.. Seen.GroupBy(c => c.Term).Where(g => g.Count() > 1).Select(g => g.Key).Order()];
    }

    private static string SoleLeader(SimulatedCluster cluster) =>
        Assert.Single(cluster.Names, n => cluster.StatusOf(n)?.Role == Role.Leader);

    /// <summary>
    /// The leader of term t crashes and the other two elect a leader of t + 1; the voter's clock
    /// is held meanwhile, so that the two never split the vote and end up in t + 2.
    /// </summary>
    private static Cast KillTheLeaderAndReelect(SimulatedCluster cluster)
    {
        cluster.Start();
        cluster.RunFor(Settle);
        var deposed = SoleLeader(cluster);
        var oldTerm = cluster.StatusOf(deposed)!.Term;
        var others = cluster.Names.Where(n => n != deposed).ToList();
        var (leader, voter) = (others[0], others[1]);
        cluster.Kill(deposed);
        cluster.ChangeClock(voter, NearlyStopped);
        cluster.RunFor(Settle);
        cluster.ChangeClock(voter, RunningNormally);
        Assert.Equal(leader, SoleLeader(cluster));
        Assert.Equal(oldTerm + 1, cluster.StatusOf(leader)!.Term);
        cluster.Partition(new Grudge { Components = [[leader], [voter, deposed]] });
        return new Cast(deposed, leader, voter, oldTerm + 1);
    }

    /// <summary>
    /// The voter crashes and restarts (term T kept, vote lost in the broken variant), then the
    /// deposed node restarts in T - 1 and campaigns for T before the voter's own timer fires.
    /// </summary>
    private static (Claims Claims, Cast Cast) RestartTheVoter(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 3, seed);
        var claims = new Claims(cluster);
        var cast = KillTheLeaderAndReelect(cluster);
        cluster.Kill(cast.Voter);
        cluster.Restart(cast.Voter);
        cluster.ChangeClock(cast.Voter, NearlyStopped);
        cluster.Restart(cast.Deposed);
        cluster.RunFor(Settle);
        return (claims, cast);
    }

    /// <summary>
    /// The voter, cut off from its leader, campaigns alone past T; then the deposed node restarts
    /// in T - 1 and sends it a vote request for T, now an older term.
    /// </summary>
    private static (Claims Claims, Cast Cast) LetTheVoterMoveOn(string algorithm, int seed)
    {
        var cluster = new SimulatedCluster(algorithm, 3, seed);
        var claims = new Claims(cluster);
        var cast = KillTheLeaderAndReelect(cluster);
        cluster.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(cluster.StatusOf(cast.Voter)!.Term > cast.Term);
        cluster.ChangeClock(cast.Voter, NearlyStopped);
        // A request the voter sent just now must reach the deposed node while it is still down.
        cluster.RunFor(TimeSpan.FromMilliseconds(10));
        cluster.Restart(cast.Deposed);
        cluster.RunFor(Settle);
        return (claims, cast);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Given_raft_forgets_vote_When_a_voter_restarts_within_a_term_Then_two_nodes_lead_that_term(int seed)
    {
        // "Each server will vote for at most one candidate in a given term" (section 5.2) holds
        // only if votedFor is "updated on stable storage before responding to RPCs" (Figure 2).
        var (claims, cast) = RestartTheVoter("raft-forgets-vote", seed);

        Assert.Equal([cast.Term], claims.TermsWithTwoLeaders);
        Assert.Contains((cast.Leader, cast.Term), claims.Seen);
        Assert.Contains((cast.Deposed, cast.Term), claims.Seen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Given_raft_When_a_voter_restarts_within_a_term_Then_no_term_has_two_leaders(int seed)
    {
        var (claims, _) = RestartTheVoter("raft", seed);

        Assert.Empty(claims.TermsWithTwoLeaders);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Given_raft_no_term_check_When_a_stale_candidate_asks_a_moved_on_voter_Then_two_nodes_lead_its_term(
        int seed)
    {
        // "If a server receives a request with a stale term number, it rejects the request" (section 5.1).
        var (claims, cast) = LetTheVoterMoveOn("raft-no-term-check", seed);

        Assert.Equal([cast.Term], claims.TermsWithTwoLeaders);
        Assert.Contains((cast.Leader, cast.Term), claims.Seen);
        Assert.Contains((cast.Deposed, cast.Term), claims.Seen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Given_raft_When_a_stale_candidate_asks_a_voter_that_moved_on_Then_no_term_has_two_leaders(int seed)
    {
        var (claims, _) = LetTheVoterMoveOn("raft", seed);

        Assert.Empty(claims.TermsWithTwoLeaders);
    }
}
