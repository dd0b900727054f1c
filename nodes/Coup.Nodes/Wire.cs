using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coup.Nodes;

/// <summary>
/// What a node's control API reports: its status plus its own clock reading (skew included). Each
/// line of the event stream is one such report, sent when any of the node's statuses changed.
/// </summary>
public sealed record StatusReport
{
    public required Role Role { get; init; }
    public required long Term { get; init; }
    public int? Leader { get; init; }
    public string Group { get; init; } = "default";
    public required long NodeWallMs { get; init; }

    /// <summary>The counting epoch the harness last started (<c>POST /causality?epoch=E</c>), 0 before any.</summary>
    public long CausalEpoch { get; init; }

    /// <summary>
    /// How many sequential message hops since the epoch began led to this status: an election's
    /// rounds when the epoch began at the kill of the old leader. A message sent before the epoch
    /// began counts as one hop.
    /// </summary>
    public int CausalDepth { get; init; }

    /// <summary>Messages this node has sent to peers since the epoch began (read live on <c>/status</c>).</summary>
    public long MessagesSent { get; init; }

    /// <summary>
    /// The node's status in every group, when it speaks for more than one at once (a broker's
    /// partitions); the fields above are then the first of them. Null for one group.
    /// </summary>
    public IReadOnlyList<NodeStatus>? Groups { get; init; }

    public NodeStatus ToStatus() => new() { Role = Role, Term = Term, Leader = Leader, Group = Group };

    /// <summary>What the node says in each group it speaks for.</summary>
    public IReadOnlyList<NodeStatus> Statuses() => Groups ?? [ToStatus()];
}

/// <summary>
/// One message on a peer connection, with what the host counts hops by: the sender's counting
/// epoch and the hop count of the chain the message ends (see <see cref="StatusReport.CausalDepth"/>).
/// </summary>
public sealed record PeerEnvelope(long Epoch, int Hops, Message Message);

/// <summary>The answer to a client write: the term it was acknowledged in, or why not.</summary>
public sealed record WriteReply
{
    public long? Term { get; init; }
    public string? Group { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// Every message on the wire, tagged "folder.kebab-name" (e.g. "raft.request-vote") in its
/// <c>type</c> property. Listed, not found by reflection, so the node host runs as a Native AOT
/// binary; a test checks that every message is listed under the tag its folder and name give.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Bully.Election), "bully.election")]
[JsonDerivedType(typeof(Bully.Answer), "bully.answer")]
[JsonDerivedType(typeof(Bully.Proceed), "bully.proceed")]
[JsonDerivedType(typeof(Bully.Coordinator), "bully.coordinator")]
[JsonDerivedType(typeof(CandidateOrdinary.Election), "candidateordinary.election")]
[JsonDerivedType(typeof(CandidateOrdinary.Coordinator), "candidateordinary.coordinator")]
[JsonDerivedType(typeof(Invitation.Invite), "invitation.invite")]
[JsonDerivedType(typeof(Invitation.Accept), "invitation.accept")]
[JsonDerivedType(typeof(Invitation.Join), "invitation.join")]
[JsonDerivedType(typeof(Invitation.Heartbeat), "invitation.heartbeat")]
[JsonDerivedType(typeof(Invitation.HeartbeatResponse), "invitation.heartbeat-response")]
[JsonDerivedType(typeof(Kafka.BrokerHeartbeat), "kafka.broker-heartbeat")]
[JsonDerivedType(typeof(Kafka.Assignment), "kafka.assignment")]
[JsonDerivedType(typeof(Kafka.Replicate), "kafka.replicate")]
[JsonDerivedType(typeof(Kafka.ReplicateResponse), "kafka.replicate-response")]
[JsonDerivedType(typeof(NextInLine.Heartbeat), "nextinline.heartbeat")]
[JsonDerivedType(typeof(NextInLine.HeartbeatResponse), "nextinline.heartbeat-response")]
[JsonDerivedType(typeof(Raft.RequestVote), "raft.request-vote")]
[JsonDerivedType(typeof(Raft.VoteResponse), "raft.vote-response")]
[JsonDerivedType(typeof(Raft.Heartbeat), "raft.heartbeat")]
[JsonDerivedType(typeof(Raft.HeartbeatResponse), "raft.heartbeat-response")]
[JsonDerivedType(typeof(Raft.PreVote), "raft.pre-vote")]
[JsonDerivedType(typeof(Raft.PreVoteResponse), "raft.pre-vote-response")]
[JsonDerivedType(typeof(Ring.Election), "ring.election")]
[JsonDerivedType(typeof(Ring.ElectionAck), "ring.election-ack")]
[JsonDerivedType(typeof(Ring.Coordinator), "ring.coordinator")]
[JsonDerivedType(typeof(Zab.Notification), "zab.notification")]
[JsonDerivedType(typeof(Zab.FollowerInfo), "zab.follower-info")]
[JsonDerivedType(typeof(Zab.NewEpoch), "zab.new-epoch")]
[JsonDerivedType(typeof(Zab.AckEpoch), "zab.ack-epoch")]
[JsonDerivedType(typeof(Zab.Ping), "zab.ping")]
[JsonDerivedType(typeof(Zab.PingAck), "zab.ping-ack")]
public abstract partial record Message;

/// <summary>
/// The wire's JSON, generated at build time (no reflection, so it works under Native AOT): every
/// type the node host and the harness exchange, and the hard state a node keeps on disk.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PeerEnvelope))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(WriteReply))]
[JsonSerializable(typeof(HardState))]
[JsonSerializable(typeof(Packets.PacketRules))]
// Messages of one name in several folders need names of their own in the generated code.
[JsonSerializable(typeof(Bully.Election), TypeInfoPropertyName = "BullyElection")]
[JsonSerializable(typeof(Bully.Coordinator), TypeInfoPropertyName = "BullyCoordinator")]
[JsonSerializable(typeof(CandidateOrdinary.Election), TypeInfoPropertyName = "CandidateOrdinaryElection")]
[JsonSerializable(typeof(CandidateOrdinary.Coordinator), TypeInfoPropertyName = "CandidateOrdinaryCoordinator")]
[JsonSerializable(typeof(Invitation.Heartbeat), TypeInfoPropertyName = "InvitationHeartbeat")]
[JsonSerializable(typeof(Invitation.HeartbeatResponse), TypeInfoPropertyName = "InvitationHeartbeatResponse")]
[JsonSerializable(typeof(NextInLine.Heartbeat), TypeInfoPropertyName = "NextInLineHeartbeat")]
[JsonSerializable(typeof(NextInLine.HeartbeatResponse), TypeInfoPropertyName = "NextInLineHeartbeatResponse")]
[JsonSerializable(typeof(Raft.Heartbeat), TypeInfoPropertyName = "RaftHeartbeat")]
[JsonSerializable(typeof(Raft.HeartbeatResponse), TypeInfoPropertyName = "RaftHeartbeatResponse")]
[JsonSerializable(typeof(Ring.Election), TypeInfoPropertyName = "RingElection")]
[JsonSerializable(typeof(Ring.Coordinator), TypeInfoPropertyName = "RingCoordinator")]
public sealed partial class WireJson : JsonSerializerContext;

/// <summary>The node host's ports and wire format, shared with the harness that talks to it.</summary>
public static class Wire
{
    public const int ControlPort = 8080;
    public const int PeerPort = 7000;

    /// <summary>
    /// The wire's types with its options: enums by kebab-case name (<c>"leader"</c>), one converter
    /// per enum on the wire (the converter for any enum needs code generated at run time).
    /// </summary>
    public static WireJson Types { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters =
        {
            new JsonStringEnumConverter<Role>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<Zab.ServerState>(JsonNamingPolicy.KebabCaseLower),
        },
    });

    public static JsonSerializerOptions Json => Types.Options;

    /// <summary>Every message type, by its wire tag.</summary>
    public static IReadOnlyDictionary<string, Type> MessageTypes { get; } = Types.Message
        .PolymorphismOptions!.DerivedTypes.ToDictionary(d => (string)d.TypeDiscriminator!, d => d.DerivedType);
}
