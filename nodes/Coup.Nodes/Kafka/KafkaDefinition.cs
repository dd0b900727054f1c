namespace Coup.Nodes.Kafka;

public sealed class KafkaDefinition : IAlgorithmDefinition
{
    public string Name => "kafka";
    public string Description =>
        "Kafka-style (KRaft) partition leaders: a Raft-elected controller appoints a "
        + $"leader and leader epoch for each of {KafkaNode.PartitionCount} partitions";
    public string Safety =>
        "at most one leader per partition and leader epoch (epochs are issued by one "
        + "controller per Raft term); a broker cut off from the controller fences itself";
    public bool ExclusiveGroups => false;
    public string? TermsFormed => KafkaNode.TermsFormed;
    public string? GroupOfWrite(long writeId) => KafkaNode.GroupOf(KafkaNode.PartitionOf(writeId));
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new KafkaNode(config, state, random);
}

public sealed class KafkaUnfencedDefinition : IAlgorithmDefinition
{
    public string Name => "kafka-unfenced";
    public string Description =>
        "Kafka-style partition leaders that never fence themselves and acknowledge writes alone (acks=1)";
    public string Safety =>
        "broken: a leader cut off from the controller keeps acknowledging writes after its successor took over";
    public bool Broken => true;
    public bool ExclusiveGroups => false;
    public string? TermsFormed => KafkaNode.TermsFormed;
    public string? GroupOfWrite(long writeId) => KafkaNode.GroupOf(KafkaNode.PartitionOf(writeId));
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) =>
        new KafkaNode(config, state, random, unfenced: true);
}
