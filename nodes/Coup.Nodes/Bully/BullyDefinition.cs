namespace Coup.Nodes.Bully;

public sealed class BullyDefinition : IAlgorithmDefinition
{
    public string Name => "bully";
    public string Description => "Bully (seed 004): the highest live rank wins and tells the others";
    public string Safety => "none under partitions: no majority, so each side elects its own leader";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new BullyNode(config, state, random);
}
