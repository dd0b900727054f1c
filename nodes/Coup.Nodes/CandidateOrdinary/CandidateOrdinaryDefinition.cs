namespace Coup.Nodes.CandidateOrdinary;

public sealed class CandidateOrdinaryDefinition : IAlgorithmDefinition
{
    public string Name => "candidate-ordinary";
    public string Description =>
        "Candidate/ordinary nodes (seed 004): only the highest ceil(n/2) ids may lead; a node that misses "
        + "the leader asks every candidate, and candidates claim after a delay that grows as their rank falls";
    public string Safety =>
        "none under partitions: no majority, so each side that holds a candidate elects its own leader";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new CandidateOrdinaryNode(config, state, random);
}
