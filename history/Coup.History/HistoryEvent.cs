using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Coup.History;

/// <summary>
/// One line of <c>history.jsonl</c>. <see cref="TimeNs"/> is the controller's monotonic clock in
/// nanoseconds since the run started, stamped on receipt, so skewed node clocks never reorder it.
/// The format is documented in <c>docs/history.md</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RunStarted), "run-start")]
[JsonDerivedType(typeof(StateObserved), CommonLines.StateType)]
[JsonDerivedType(typeof(ClientOp), CommonLines.OpType)]
[JsonDerivedType(typeof(FaultEvent), "fault")]
[JsonDerivedType(typeof(ObserverEvent), "observer")]
[JsonDerivedType(typeof(RunEnded), "run-end")]
public abstract record HistoryEvent
{
    [JsonPropertyName("time")]
    public required long TimeNs { get; init; }
}

/// <summary>The first line: what ran, so a saved history can be checked and reported alone.</summary>
public sealed record RunStarted : HistoryEvent
{
    public required string Test { get; init; }
    public required string Algorithm { get; init; }
    public required string Runtime { get; init; }
    public required IReadOnlyList<string> Nodes { get; init; }
    public required int Seed { get; init; }
    public required IReadOnlyList<string> Nemesis { get; init; }
    public required double TimeLimitS { get; init; }
    public required double IntervalS { get; init; }
    /// <summary>Wall-clock start, for people; never used to order events.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Container runs: the value of the <c>coup.run</c> label on everything the run created.</summary>
    public string? RunId { get; init; }
    /// <summary>
    /// A real system under test (etcd, zookeeper, redis-sentinel); <see cref="Algorithm"/> then holds its name.
    /// </summary>
    public string? System { get; init; }
    /// <summary>
    /// The <c>--set name=value</c> overrides of the system's settings, or of the algorithm's (absent when
    /// an algorithm ran with its defaults).
    /// </summary>
    public IReadOnlyList<string>? Settings { get; init; }
    /// <summary>Real systems: how often each member was asked for its role and term.</summary>
    public int? ObservePeriodMs { get; init; }
    /// <summary>
    /// False when a node speaks for several groups at once (a broker leads some partitions and
    /// follows others); absent or true when a node's word in one group ends its word in any other.
    /// </summary>
    public bool? ExclusiveGroups { get; init; }
    /// <summary>How many client processes the workload ran; null: not recorded (no operations demanded).</summary>
    public int? Clients { get; init; }
    /// <summary>Writes each client issued per second; null: not recorded.</summary>
    public double? WriteRateHz { get; init; }
    /// <summary>Seconds after the final heal before the final observation; null: not recorded.</summary>
    public double? QuietS { get; init; }
    /// <summary>For people, where terms are not a plain election counter: how the algorithm forms them.</summary>
    public string? TermsFormed { get; init; }
    /// <summary>For people: what the clients did: how many, how fast, to which node.</summary>
    public string? Workload { get; init; }
    /// <summary>
    /// The scripted timeline the run played instead of a seeded schedule (docs/timelines.md), as its
    /// document; <see cref="Nemesis"/> then lists the faults it names.
    /// </summary>
    public JsonNode? Timeline { get; init; }

    /// <summary>Whether a node speaks for one group at a time (the default for histories that do not say).</summary>
    [JsonIgnore]
    public bool GroupsAreExclusive => ExclusiveGroups ?? true;
}

/// <summary>
/// A node's role, term and leader as it announced them. A state with role <c>leader</c> is a
/// leadership claim for (<see cref="Group"/>, <see cref="Term"/>).
/// </summary>
public sealed record StateObserved : HistoryEvent
{
    public required string Node { get; init; }
    public required string Role { get; init; }
    public required long Term { get; init; }
    /// <summary>Whom the node believes leads its group, or null.</summary>
    public string? Leader { get; init; }
    public string Group { get; init; } = "default";
    /// <summary><c>stream</c> (pushed by the node), <c>poll</c>, or <c>final</c> (after the last heal).</summary>
    public string Source { get; init; } = "stream";
    /// <summary>The node's own wall clock (ms since the Unix epoch) when it announced this, skew included.</summary>
    public long? NodeWallMs { get; init; }
    /// <summary>
    /// Polled observations of real systems: the most this change can have preceded its record
    /// (the time since the previous question to the node was sent).
    /// </summary>
    public long? LagNs { get; init; }

    [JsonIgnore]
    public bool IsLeader => Role == Roles.Leader;
}

/// <summary>
/// A client operation, Jepsen-style: an <c>invoke</c> and then one completion (<c>ok</c>,
/// <c>fail</c> or <c>info</c>) from the same <see cref="Process"/> with the same <see cref="Value"/>.
/// </summary>
public sealed record ClientOp : HistoryEvent
{
    public required int Process { get; init; }
    public required string Phase { get; init; }
    public string F { get; init; } = "write";
    /// <summary>The node the client sent the operation to.</summary>
    public required string Node { get; init; }
    public required long Value { get; init; }
    /// <summary>On completions: the time since the invoke.</summary>
    public long? LatencyNs { get; init; }
    /// <summary>On <c>ok</c>: the term in which the node acknowledged the write.</summary>
    public long? Term { get; init; }
    public string? Group { get; init; }
    public string? Error { get; init; }
    /// <summary>
    /// On <c>ok</c> from a real system that forwards writes to its leader: the leader the
    /// contacted node reported for the write's term, or <see cref="UnknownLeader"/> when it could
    /// not tell (such a write is left out of same-term comparisons). Null: <see cref="Node"/> acknowledged.
    /// </summary>
    public string? AcknowledgedBy { get; init; }

    public const string UnknownLeader = "?";
}

/// <summary>
/// A fault taking effect (<c>start</c>) or being healed (<c>stop</c>), stamped when the mechanism
/// returned. <see cref="Targets"/> are the nodes it cut off from the rest: the killed or paused
/// nodes, or every node outside the partition's largest component.
/// </summary>
public sealed record FaultEvent : HistoryEvent
{
    public required string Phase { get; init; }
    public required string Kind { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    /// <summary>For people: the shape, e.g. "isolate leader n3" or "rate 1.5".</summary>
    public string Detail { get; init; } = "";
    /// <summary>For symmetric partitions: each component, a list of nodes that still reach each other.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Components { get; init; }
    /// <summary>For directed (one-way) partitions, instead of components: each node, the senders it drops.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Drops { get; init; }
    /// <summary>For packet faults: the links shaped, each <c>FROM-&gt;TO</c> (one direction).</summary>
    public IReadOnlyList<string>? Links { get; init; }
    /// <summary>For packet faults, all five figures of the shape on <see cref="Links"/>.</summary>
    public int? LossPercent { get; init; }
    public int? DelayMs { get; init; }
    public int? JitterMs { get; init; }
    public int? DuplicatePercent { get; init; }
    public int? ReorderPercent { get; init; }
    /// <summary>
    /// When the schedule planned the fault this part belongs to, in seconds since the run started:
    /// the same in every runtime for a seed, however late the fault took effect. Null in older histories.
    /// </summary>
    public double? PlannedS { get; init; }
}

/// <summary>The observer lost (<c>down</c>) or regained (<c>up</c>) a node's event stream.</summary>
public sealed record ObserverEvent : HistoryEvent
{
    public required string Node { get; init; }
    public required string Phase { get; init; }
    public string Detail { get; init; } = "";
}

/// <summary>The last line. A history without it was cut short: unknown, unless its lines prove a violation.</summary>
public sealed record RunEnded : HistoryEvent
{
    /// <summary><c>time-limit</c>, <c>interrupted</c> or <c>error</c>.</summary>
    public required string Reason { get; init; }
    /// <summary>When every fault had been healed (start of the quiet period), or null if teardown failed.</summary>
    public long? HealedNs { get; init; }
    /// <summary>With reason <c>error</c>: what went wrong (e.g. a fault that could not be applied).</summary>
    public string? Error { get; init; }
}
