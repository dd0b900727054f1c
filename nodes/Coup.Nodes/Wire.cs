using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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

/// <summary>The node host's ports and wire format, shared with the harness that talks to it.</summary>
public static class Wire
{
    public const int ControlPort = 8080;
    public const int PeerPort = 7000;

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { TagMessages } },
    };

    /// <summary>Every concrete message type in this assembly, by its wire tag.</summary>
    public static IReadOnlyDictionary<string, Type> MessageTypes { get; } = typeof(Message).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Message)) && !t.IsAbstract)
        .ToDictionary(TagOf, t => t);

    public static string TagOf(Type type) =>
        $"{type.Namespace![(type.Namespace!.LastIndexOf('.') + 1)..].ToLowerInvariant()}.{JsonNamingPolicy.KebabCaseLower.ConvertName(type.Name)}";

    private static void TagMessages(JsonTypeInfo info)
    {
        if (info.Type != typeof(Message))
        {
            return;
        }
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "type" };
        foreach (var (tag, type) in MessageTypes.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, tag));
        }
    }
}
