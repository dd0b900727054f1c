namespace Coup.Nodes.Kafka;

public sealed class KafkaDefinition : IAlgorithmDefinition
{
    public string Name => "kafka";
    public string Description => $"Kafka-style (KRaft) partition leaders: a Raft-elected controller appoints a leader and leader epoch for each of {KafkaNode.PartitionCount} partitions";
    public string Safety => "at most one leader per partition and leader epoch (epochs are issued by one controller per Raft term); a broker cut off from the controller fences itself";
    public bool ExclusiveGroups => false;
    public string? GroupOfWrite(long writeId) => KafkaNode.GroupOf(KafkaNode.PartitionOf(writeId));
    public IElectionNode Create(ClusterConfig config, HardState state, Random random) => new KafkaNode(config, state, random);
}
