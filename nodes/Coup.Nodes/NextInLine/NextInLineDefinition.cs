namespace Coup.Nodes.NextInLine;

public sealed class NextInLineDefinition : IAlgorithmDefinition
{
    public string Name => "next-in-line";
    public string Description =>
        "Next-in-line succession (seed 004): the leader publishes a ranked successor list with "
        + "its heartbeat; when it goes silent the first live successor takes over, no election round";
    public string Safety =>
        "none under partitions: no majority, so a successor on the "
        + "far side of a cut takes over while the leader still leads";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new NextInLineNode(config, state);
}
