namespace Coup.Nodes.Zab;

/// <summary>ZooKeeper's server states, carried in every election notification.</summary>
public enum ServerState { Looking, Following, Leading }

/// <summary>
/// A proposed leader and what makes it good: its current epoch and the zxid of its last write.
/// Votes are ordered by (epoch, zxid, id), as ZooKeeper's FastLeaderElection orders them.
/// </summary>
public readonly record struct Vote(int Leader, long Epoch, long Zxid)
{
    public bool IsBetterThan(Vote other) =>
        (Epoch, Zxid, Leader).CompareTo((other.Epoch, other.Zxid, other.Leader)) > 0;

    /// <summary>Whether both name the same leader in the same epoch, whatever the zxid.</summary>
    public bool SameLeaderAndEpoch(Vote other) => (Leader, Epoch) == (other.Leader, other.Epoch);
}

/// <summary>
/// A fast-leader-election notification: the sender's vote in election <see cref="Round"/> (its
/// logical clock) and its state. A node settled in an epoch answers a looking one with its
/// leader and that epoch, so that a latecomer can join the ensemble that already formed.
/// </summary>
public sealed record Notification : Message
{
    public required long Round { get; init; }
    public required Vote Vote { get; init; }
    public required ServerState State { get; init; }
}

/// <summary>Discovery: a follower tells its prospective leader the last epoch it accepted (FOLLOWERINFO).</summary>
public sealed record FollowerInfo : Message
{
    public required long AcceptedEpoch { get; init; }
}

/// <summary>Discovery: the prospective leader proposes its epoch (NEWEPOCH).</summary>
public sealed record NewEpoch : Message
{
    public required long Epoch { get; init; }
}

/// <summary>
/// Discovery: the follower accepted <see cref="Epoch"/> (ACKEPOCH). <see cref="NewlyAccepted"/> is
/// false when it had already accepted that epoch before, possibly from another leader: such an
/// acknowledgement lets it follow but does not count toward the quorum that establishes the
/// epoch, as in ZooKeeper, where it carries -1 for the follower's epoch.
/// </summary>
public sealed record AckEpoch : Message
{
    public required long Epoch { get; init; }
    public required bool NewlyAccepted { get; init; }
}

/// <summary>
/// The leader's heartbeat. The first one a follower gets in an epoch plays NEWLEADER's part: the
/// epoch is in force. <see cref="Zxid"/> is the leader's last write, which the follower logs before
/// answering; <see cref="Sequence"/> lets a write be acknowledged once a quorum has answered a
/// ping sent after it.
/// </summary>
public sealed record Ping : Message
{
    public required long Epoch { get; init; }
    public required long Sequence { get; init; }
    public required long Zxid { get; init; }
}

public sealed record PingAck : Message
{
    public required long Epoch { get; init; }
    public required long Sequence { get; init; }
}
