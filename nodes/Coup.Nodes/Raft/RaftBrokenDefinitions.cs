namespace Coup.Nodes.Raft;

public sealed class RaftForgetsVoteDefinition : IAlgorithmDefinition
{
    public string Name => "raft-forgets-vote";
    public string Description =>
        "Raft that persists its term but not its vote: a restart within a term lets it vote twice";
    public string Safety => "broken: two leaders of one term after a voter restarts";
    public bool Broken => true;
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RaftNode(config, state, random, new RaftOptions { Flaw = RaftFlaw.ForgetsVote });
}

public sealed class RaftNoTermCheckDefinition : IAlgorithmDefinition
{
    public string Name => "raft-no-term-check";
    public string Description =>
        "Raft whose voters take a vote request from an older term as news: they move back to it and vote again";
    public string Safety => "broken: a stale candidate wins a term that already has a leader";
    public bool Broken => true;
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RaftNode(config, state, random, new RaftOptions { Flaw = RaftFlaw.NoTermCheck });
}
