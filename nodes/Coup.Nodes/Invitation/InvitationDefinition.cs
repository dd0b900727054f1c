namespace Coup.Nodes.Invitation;

public sealed class InvitationDefinition : IAlgorithmDefinition
{
    public string Name => "invitation";
    public string Description =>
        "Invitation (seed 004): every node leads its own group; leaders "
        + "invite each other and groups merge under the larger one's leader";
    public string Safety =>
        "one leader per group, none across groups: each side of a partition is a group with its own leader";
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new InvitationNode(config, state, random);
}
