namespace Coup.Nodes.Zab;

public sealed class ZabDefinition : IAlgorithmDefinition
{
    public string Name => "zab";
    public string Description =>
        "ZooKeeper-style fast leader election by (epoch, zxid, id), then Zab "
        + "discovery: a quorum accepts the new epoch before the leader claims it";
    public string Safety =>
        "at most one leader per epoch (a quorum acknowledges the epoch "
        + "first); a leader without a quorum steps down within the sync limit";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new ZabNode(config, state, random);
}

public sealed class ZabEarlyClaimDefinition : IAlgorithmDefinition
{
    public string Name => "zab-early-claim";
    public string Description =>
        "Zab whose leader claims the new epoch as soon as it proposes it, and acknowledges writes without a quorum";
    public string Safety => "none: claims before the quorum acknowledges, broken on purpose";
    public bool Broken => true;
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new ZabNode(config, state, random, claimsEarly: true);
}
