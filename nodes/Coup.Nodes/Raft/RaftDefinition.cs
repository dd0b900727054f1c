namespace Coup.Nodes.Raft;

public sealed class RaftDefinition : IAlgorithmDefinition
{
    public string Name => "raft";
    public string Description => "Raft leader election: terms, majority votes, randomized timeouts, heartbeats";
    public string Safety => "at most one leader per term (majority votes; vote and term persisted)";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) => new RaftNode(config, state, random);
}
