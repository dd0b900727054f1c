namespace Coup.Nodes.Raft;

public sealed class RaftDefinition : IAlgorithmDefinition
{
    public string Name => "raft";
    public string Description => "Raft leader election: terms, majority votes, randomized timeouts, heartbeats";
    public string Safety => "at most one leader per term (majority votes; vote and term persisted)";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RaftNode(config, state, random);
}

public sealed class RaftPreVoteDefinition : IAlgorithmDefinition
{
    public string Name => "raft-prevote";
    public string Description =>
        "Raft with pre-vote: a candidate raises its term only after a majority says it would vote for it";
    public string Safety =>
        "at most one leader per term; a node rejoining from a partition does not depose the leader";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RaftNode(config, state, random, new RaftOptions { PreVote = true });
}

public sealed class RaftCheckQuorumDefinition : IAlgorithmDefinition
{
    public string Name => "raft-checkquorum";
    public string Description =>
        "Raft with check-quorum: a leader cut off from a majority "
        + "steps down; followers in a leader's lease ignore votes";
    public string Safety =>
        "at most one leader per term; a leader without a majority gives up within an election timeout";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RaftNode(config, state, random, new RaftOptions { CheckQuorum = true });
}

public sealed class RaftPreVoteCheckQuorumDefinition : IAlgorithmDefinition
{
    public string Name => "raft-prevote-checkquorum";
    public string Description => "Raft with pre-vote and check-quorum, as etcd runs it";
    public string Safety =>
        "at most one leader per term; isolated leaders step down and rejoining nodes do not disrupt";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RaftNode(config, state, random, new RaftOptions { PreVote = true, CheckQuorum = true });
}
