using System.Text.Json.Serialization;

namespace Coup.Nodes;

/// <summary>The role a node believes it holds.</summary>
public enum Role { Follower, Candidate, Leader }

/// <summary>What a node announces about itself: its role, term, and whom it follows.</summary>
public sealed record NodeStatus
{
    public required Role Role { get; init; }
    public required long Term { get; init; }
    /// <summary>The node this one believes leads, or null (written as null on the wire: the property is
    /// required).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required int? Leader { get; init; }
    public string Group { get; init; } = "default";

    /// <summary>
    /// <paramref name="last"/> while it still says <paramref name="role"/>, <paramref name="term"/> and
    /// <paramref name="leader"/> (in the default group), else a new status kept there: a node asked for its status
    /// after every step makes one only when it changed.
    /// </summary>
    public static NodeStatus Reused(ref NodeStatus? last, Role role, long term, int? leader) =>
        last is { } status && status.Role == role && status.Term == term && status.Leader == leader
            && status.Group == "default" ? status
            : last = new NodeStatus { Role = role, Term = term, Leader = leader };
}

/// <summary>State that must survive a crash: written to disk before any message leaves.</summary>
public sealed record HardState
{
    public long Term { get; init; }
    public int? VotedFor { get; init; }
    /// <summary>Anything else an algorithm must keep across a crash (e.g. ZAB's accepted epoch), by name.</summary>
    public IReadOnlyDictionary<string, long>? Values { get; init; }
    public static HardState Empty { get; } = new();
}

/// <summary>
/// Every message between peers carries its sender and receiver by node id. On the wire each
/// concrete message is tagged "folder.kebab-name" (e.g. "raft.request-vote"), listed in Wire.cs.
/// </summary>
public abstract partial record Message
{
    public required int From { get; init; }
    public required int To { get; init; }
}

/// <summary>
/// What a node wants done after a step: persist, then send, then announce. Collected by the node
/// and drained by its host, as etcd's raft hands out a Ready.
/// </summary>
/// <remarks>
/// A host takes one after every tick and message (a million and more in a simulated hour), and most are empty:
/// each list is made on its first entry, and a node hands out <see cref="Empty"/> rather than a new batch when
/// nothing accumulated (<see cref="Take"/>).
/// </remarks>
public sealed class Ready
{
    private List<Message>? _messages;
    private List<NodeStatus>? _statusChanges;
    private List<Acknowledgement>? _acknowledgedWrites;
    private List<long>? _rejectedWrites;
    /// <summary>Once handed out, the batch that took this one's place at the node: where
    /// <see cref="Recycle"/> leaves it.</summary>
    private Ready? _successor;
    /// <summary>A batch handed out before this one and recycled: the node's next batch once this one is taken.
    /// </summary>
    private Ready? _spare;

    /// <summary>The batch with nothing in it, handed out and never added to.</summary>
    public static Ready Empty { get; } = new();

    public IReadOnlyList<Message> Messages => _messages ?? Nothing<Message>.List;

    public HardState? Persist
    {
        get;
        set
        {
            Unshared();
            field = value;
        }
    }

    /// <summary>The latest status of each group whose status changed, in the order announced.</summary>
    public IReadOnlyList<NodeStatus> StatusChanges => _statusChanges ?? Nothing<NodeStatus>.List;
    public IReadOnlyList<Acknowledgement> AcknowledgedWrites => _acknowledgedWrites ?? Nothing<Acknowledgement>.List;
    public IReadOnlyList<long> RejectedWrites => _rejectedWrites ?? Nothing<long>.List;

    public bool IsEmpty => IsNoneIn(_messages) && Persist is null && IsNoneIn(_statusChanges)
        && IsNoneIn(_acknowledgedWrites) && IsNoneIn(_rejectedWrites);

    /// <summary>
    /// Hands out <paramref name="ready"/> and puts a batch in its place (one the host recycled, else a new one), or
    /// hands out <see cref="Empty"/> and keeps it when nothing accumulated: a node's
    /// <see cref="IElectionNode.TakeReady"/>.
    /// </summary>
    public static Ready Take(ref Ready ready)
    {
        if (ready.IsEmpty)
        {
            return Empty;
        }
        var taken = ready;
        ready = taken._spare ?? new Ready();
        taken._spare = null;
        taken._successor = ready;
        return taken;
    }

    /// <summary>
    /// Gives a batch back once its host has carried it out and holds on to none of its lists (the messages,
    /// statuses and answers in them are the host's to keep): emptied, it becomes the node's batch after the one
    /// that took its place, instead of a new one. The simulator recycles each (three objects fewer for most of
    /// the million and more a simulated hour takes); a host that does not loses only that.
    /// </summary>
    public void Recycle()
    {
        if (_successor is not { } successor)
        {
            return;
        }
        _successor = null;
        _messages?.Clear();
        _statusChanges?.Clear();
        _acknowledgedWrites?.Clear();
        _rejectedWrites?.Clear();
        Persist = null;
        // Used when the successor is taken, if it still is the node's batch; if it was taken already (recycled
        // late), only once the successor itself is recycled and taken again, when no one reads this one any more.
        successor._spare = this;
    }

    private static bool IsNoneIn<T>(List<T>? list) => list is null || list.Count == 0;

    public void Send(Message message) => Added(ref _messages).Add(message);

    public void Send(IReadOnlyList<Message> messages)
    {
        if (messages.Count > 0)
        {
            Added(ref _messages).AddRange(messages);
        }
    }

    /// <summary>Announces a status; a later one of the same group in this batch replaces it.</summary>
    public void Announce(NodeStatus status)
    {
        var changes = Added(ref _statusChanges);
        changes.RemoveAll(s => s.Group == status.Group);
        changes.Add(status);
    }

    /// <summary>Acknowledges a write as the leader <paramref name="leading"/> says this node is (its term and
    /// group).</summary>
    public void Acknowledge(long writeId, NodeStatus leading) =>
        Added(ref _acknowledgedWrites).Add(new Acknowledgement(writeId, leading.Term, leading.Group));

    /// <summary>Acknowledges every one of <paramref name="writeIds"/> as <paramref name="leading"/>.</summary>
    public void Acknowledge(IReadOnlyList<long> writeIds, NodeStatus leading)
    {
        foreach (var writeId in writeIds)
        {
            Acknowledge(writeId, leading);
        }
    }

    /// <summary>Refuses a write: this node does not lead.</summary>
    public void Reject(long writeId) => Added(ref _rejectedWrites).Add(writeId);

    /// <summary>Refuses every one of <paramref name="writeIds"/>.</summary>
    public void Reject(IReadOnlyList<long> writeIds)
    {
        if (writeIds.Count > 0)
        {
            Added(ref _rejectedWrites).AddRange(writeIds);
        }
    }

    /// <summary>For algorithms whose leader confirms nothing with anyone: acknowledged if <paramref name="status"/>
    /// leads, else refused.</summary>
    public void AnswerAtOnce(long writeId, NodeStatus status)
    {
        if (status.Role == Role.Leader)
        {
            Acknowledge(writeId, status);
        }
        else
        {
            Reject(writeId);
        }
    }

    /// <summary>
    /// An empty list for a kind nothing was added to, never added to itself: a list as the others are, so that
    /// a host's loop over a Ready calls one kind of collection, not a list one time and an array the next.
    /// </summary>
    private static class Nothing<T>
    {
        public static readonly List<T> List = [];
    }

    private List<T> Added<T>(ref List<T>? list)
    {
        Unshared();
        return list ??= [];
    }

    private void Unshared()
    {
        if (ReferenceEquals(this, Empty))
        {
            throw new InvalidOperationException("the empty Ready is handed out, never added to");
        }
    }
}

/// <summary>A write a leader acknowledged, with the term and group it leads them in.</summary>
public sealed record Acknowledgement(long WriteId, long Term, string Group);

/// <summary>
/// An election algorithm as a single-threaded state machine: no I/O, no clock, no unseeded
/// randomness. Hosts feed it ticks and messages and carry out what <see cref="TakeReady"/> returns.
/// </summary>
public interface IElectionNode
{
    int Id { get; }
    NodeStatus Status { get; }
    /// <summary>
    /// The node's status in every group it speaks for, <see cref="Status"/> first. Most algorithms
    /// speak for one group at a time; a broker leads or follows each partition at once.
    /// </summary>
    IReadOnlyList<NodeStatus> Statuses => [Status];
    /// <summary>Advances logical time by one tick.</summary>
    void Tick();
    /// <summary>
    /// How many of the next ticks, with nothing else in between, would leave <see cref="TakeReady"/> empty (no
    /// message, persist, status change or answer) and change only counters: a host may then skip taking the
    /// Ready after them. A promise, so 0 (the default) is always right; more than is true breaks exactness.
    /// </summary>
    int IdleTicks => 0;
    /// <summary>Handles one message from a peer.</summary>
    void Step(Message message);
    /// <summary>A client asks to write; the answer comes later as an acknowledged or rejected id.</summary>
    void ProposeWrite(long writeId);
    /// <summary>Hands out what accumulated since the last call, and starts a new batch.</summary>
    Ready TakeReady();
}

/// <summary>Who is in the cluster and how fast time moves for the algorithm.</summary>
public sealed record ClusterConfig
{
    public required int Self { get; init; }
    /// <summary>Every member's id, self included.</summary>
    public required IReadOnlyList<int> Members { get; init; }
    public int TickMs { get; init; } = 5;
    public int ElectionTimeoutMsMin { get; init; } = 150;
    public int ElectionTimeoutMsMax { get; init; } = 300;
    public int HeartbeatMs { get; init; } = 30;

    public int Quorum => Members.Count / 2 + 1;
    /// <summary>Every member but <see cref="Self"/>, in the members' order.</summary>
    public PeerIds Peers => new(Members, Self);
    public int ElectionTicksMin => Math.Max(1, ElectionTimeoutMsMin / TickMs);
    public int ElectionTicksMax => Math.Max(ElectionTicksMin, ElectionTimeoutMsMax / TickMs);
    public int HeartbeatTicks => Math.Max(1, HeartbeatMs / TickMs);
}

/// <summary>
/// Every member of a cluster but one, in the members' order: a <c>foreach</c> over it allocates nothing (a leader
/// asks for its peers on every heartbeat, a simulated hour's hundred thousand and more).
/// </summary>
public readonly struct PeerIds(IReadOnlyList<int> members, int self) : IEnumerable<int>
{
    private readonly IReadOnlyList<int> _members = members;
    private readonly int _self = self;

    public Enumerator GetEnumerator() => new(_members, _self);

    IEnumerator<int> IEnumerable<int>.GetEnumerator() => Boxed(this);

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() =>
        ((IEnumerable<int>)this).GetEnumerator();

    /// <summary>The same peers for a caller that asks through the interface (LINQ).</summary>
    private static IEnumerator<int> Boxed(PeerIds peers)
    {
        foreach (var peer in peers)
        {
            yield return peer;
        }
    }

    public struct Enumerator(IReadOnlyList<int> members, int self)
    {
        private int _index = -1;

        public readonly int Current => members[_index];

        public bool MoveNext()
        {
            while (++_index < members.Count)
            {
                if (members[_index] != self)
                {
                    return true;
                }
            }
            return false;
        }
    }
}

public static class NodeNames
{
    public static string Of(int id) => $"n{id}";

    public static int IdOf(string name) =>
        name.Length > 1 && name[0] == 'n' && int.TryParse(name.AsSpan(1), out var id) ? id
        : throw new ArgumentException($"'{name}' is not a node name like n1", nameof(name));

    public static IReadOnlyList<string> ForCount(int count) => [.. Enumerable.Range(1, count).Select(Of)];
}
