namespace Coup.Nodes.Kafka;

public sealed partial class KafkaNode
{
    /// <summary>
    /// What this broker knows of one partition: the newest leader epoch and its leader (null when unknown or fenced).
    /// </summary>
    private sealed class Partition(int index, long epoch, int quorum)
    {
        public int Index { get; } = index;
        public long Epoch { get; set; } = epoch;
        public int? Leader { get; set; }
        /// <summary>The writes this broker holds as the partition's leader.</summary>
        public QuorumRounds Writes { get; set; } = new(quorum);
    }

    private NodeStatus StatusOf(Partition partition) => new()
    {
        Role = partition.Leader == Id ? Role.Leader : Role.Follower,
        Term = partition.Epoch,
        Leader = partition.Leader,
        Group = GroupOf(partition.Index),
    };

    /// <summary>
    /// Takes leader epoch <paramref name="epoch"/> with <paramref name="leader"/> (this broker when
    /// appointed): a leader of an older epoch drops its waiting writes; the epoch is persisted before
    /// anything is answered, so a restart cannot bring back an older one.
    /// </summary>
    private void Follow(Partition partition, long epoch, int? leader)
    {
        if (partition.Leader == Id)
        {
            _ready.Reject(partition.Writes.Abandon());
        }
        var persist = epoch != partition.Epoch;
        partition.Epoch = epoch;
        partition.Leader = leader;
        partition.Writes = new QuorumRounds(_config.Quorum);
        if (persist)
        {
            Persist();
        }
        _ready.Announce(StatusOf(partition));
        if (leader == Id)
        {
            SendRound(partition);
        }
    }

    private void SendRound(Partition partition)
    {
        var round = partition.Writes.NextRound();
        foreach (var peer in _config.Peers)
        {
            Send(new Replicate
            {
                From = Id,
                To = peer,
                Partition = partition.Index,
                Epoch = partition.Epoch,
                Sequence = round,
            });
        }
    }

    /// <summary>
    /// A replica answers a leader of the newest epoch it knows,
    /// and refuses an older one with the epoch that deposes it.
    /// </summary>
    private void HandleReplicate(Replicate replicate)
    {
        var partition = _partitions[replicate.Partition];
        if (replicate.Epoch < partition.Epoch)
        {
            Answer(replicate, partition.Epoch, accepted: false);
            return;
        }
        if (replicate.Epoch > partition.Epoch || partition.Leader != replicate.From)
        {
            // Epochs are unique, so the sender of an epoch is its leader.
            Follow(partition, replicate.Epoch, replicate.From);
        }
        Answer(replicate, replicate.Epoch, accepted: true);
    }

    /// <summary>Answers <paramref name="replicate"/>'s round in <paramref name="epoch"/>.</summary>
    private void Answer(Replicate replicate, long epoch, bool accepted) => Send(new ReplicateResponse
    {
        From = Id,
        To = replicate.From,
        Partition = replicate.Partition,
        Epoch = epoch,
        Sequence = replicate.Sequence,
        Accepted = accepted,
    });

    private void HandleReplicateResponse(ReplicateResponse response)
    {
        var partition = _partitions[response.Partition];
        if (!response.Accepted)
        {
            if (response.Epoch > partition.Epoch)
            {
                Follow(partition, response.Epoch, leader: null);
            }
            return;
        }
        if (partition.Leader == Id && response.Epoch == partition.Epoch)
        {
            _ready.Acknowledge(partition.Writes.Answered(response.From, response.Sequence), StatusOf(partition));
        }
    }
}
