namespace Coup.Nodes.Ring;

public sealed class RingDefinition : IAlgorithmDefinition
{
    public string Name => "ring";
    public string Description =>
        "Ring (seeds 000, 004): an election message goes round the ring of ids collecting the "
        + "live ones, skipping dead successors; back at its sender, the highest id is announced";
    public string Safety =>
        "none under partitions: no majority, so the ring closes "
        + "on each side of a cut and each elects its own leader";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new RingNode(config, state, random);
}
