using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.Packets;

namespace Coup.Simulation;

/// <summary>A status change as the simulator saw it, with the node's own clock reading.</summary>
/// <param name="CausalDepth">How many sequential message hops led to this change since
/// <see cref="SimulatedCluster.ResetCausality"/>: an election's rounds.</param>
public sealed record SimulatedStatus(string Node, NodeStatus Status, long NodeWallMs, int CausalDepth);

/// <summary>
/// Drives the same algorithm classes as the container host, on a virtual clock: a seeded network
/// with delays (FIFO on each link), partitions and packet shaping
/// (<see cref="ShapedLink{T}"/>), crash and restart (persisted state survives), pause, and per-node
/// clock offset and rate. One seed reproduces a run exactly.
/// </summary>
public sealed class SimulatedCluster
{
    public const long MessageDelayNsMin = 500_000;
    public const long MessageDelayNsMax = 2_000_000;

    private readonly string _algorithm;
    private readonly ClusterConfig _template;
    private readonly int _seed;
    private readonly Random _network;
    private readonly Dictionary<string, SimulatedNode> _nodes = [];
    /// <summary>The same nodes by id, for the message path (ids run from 1; index 0 is unused).</summary>
    private readonly SimulatedNode[] _nodesById;
    /// <summary>When the last message sent on each link [from, to] (by id) arrives: links are FIFO, as TCP
    /// is.</summary>
    private readonly long[,] _linkArrivalNs;
    /// <summary>Under a partition, the senders each node drops, worked out once per partition (asked for every
    /// message).</summary>
    private Dictionary<string, HashSet<string>>? _drops;
    /// <summary>The packet shape on each shaped link, or null while none is.</summary>
    private Dictionary<(string From, string To), PacketShape>? _packetShapes;
    /// <summary>
    /// Each shaped link's decisions, for one boot of its sender: seeded by <see cref="Seeds.Packets"/>
    /// as the node host's peer link is. Made on the first shaped message, so unshaped runs draw nothing.
    /// </summary>
    private readonly Dictionary<(string From, string To, int Incarnation), ShapedLink<Message>> _shapedLinks = [];
    /// <summary>Messages that landed, ready to carry the next: as many as were ever in flight at once.</summary>
    private readonly Stack<InFlight> _inFlight = new();
    /// <summary>Bumped by <see cref="ResetCausality"/>, so that messages sent before it count as one hop.</summary>
    private int _causalEpoch;
    /// <summary>Every write waits the same time for its answer.</summary>
    private readonly EventQueue.DelayLine _writeTimeouts;
    /// <summary>Writes done with, ready to carry the next: as many as were ever under way at once.</summary>
    private readonly Stack<PendingWrite> _spareWrites = new();

    public SimulatedCluster(string algorithm, int nodeCount, int seed, ClusterConfig? template = null)
    {
        _algorithm = algorithm;
        _seed = seed;
        _network = new Random(Seeds.Network(seed));
        Names = NodeNames.ForCount(nodeCount);
        _template = template ?? new ClusterConfig { Self = 0, Members = [] };
        _template = _template with { Members = [.. Enumerable.Range(1, nodeCount)] };
        foreach (var name in Names)
        {
            _nodes[name] = new SimulatedNode(name, NodeNames.IdOf(name), _template.TickMs);
        }
        _nodesById = new SimulatedNode[nodeCount + 1];
        foreach (var node in _nodes.Values)
        {
            _nodesById[node.Id] = node;
        }
        _linkArrivalNs = new long[nodeCount + 1, nodeCount + 1];
        _writeTimeouts = Clock.Line(WriteContract.TimeoutMs * 1_000_000L);
    }

    public EventQueue Clock { get; } = new();
    public IReadOnlyList<string> Names { get; }
    public long NowNs => Clock.NowNs;

    /// <summary>Called with every role, term or leader change a node announces, once per group that changed.</summary>
    public event Action<SimulatedStatus>? StatusChanged;

    public int MessagesSent { get; private set; }

    /// <summary>Messages sent on a shaped link, and how many of them its shape lost.</summary>
    public int MessagesShaped { get; private set; }
    public int MessagesLostToShaping { get; private set; }

    public void Start()
    {
        foreach (var node in _nodes.Values)
        {
            Boot(node);
        }
    }

    /// <summary>What the node says in its first group (the only one for most algorithms), or null while it is
    /// down.</summary>
    public NodeStatus? StatusOf(string name) => _nodes[name].Algorithm?.Status;

    /// <summary>What the node says in every group it speaks for; empty while it is down.</summary>
    public IReadOnlyList<NodeStatus> StatusesOf(string name) => StatusesOf(_nodes[name]);

    private static IReadOnlyList<NodeStatus> StatusesOf(SimulatedNode node) => node.Algorithm?.Statuses ?? [];

    /// <summary>
    /// Adds what every node says in every group it speaks for to <paramref name="words"/>, node by node in the
    /// order of <see cref="Names"/>: <see cref="StatusesOf"/> for them all, asked on every write.
    /// </summary>
    public void AddStatuses(List<(string Node, NodeStatus Status)> words)
    {
        // Ids run from 1 in the order of the names (NodeNames.ForCount).
        for (var id = 1; id < _nodesById.Length; id++)
        {
            var node = _nodesById[id];
            var statuses = StatusesOf(node);
            for (var i = 0; i < statuses.Count; i++)
            {
                words.Add((node.Name, statuses[i]));
            }
        }
    }

    public bool IsUp(string name) => _nodes[name].IsUp;

    /// <summary>
    /// What the node last wrote to its stable storage: what it boots from after <see cref="Kill"/>
    /// and <see cref="Restart"/>.
    /// </summary>
    public HardState PersistedOf(string name) => _nodes[name].Persisted;

    public void RunUntil(long timeNs) => Clock.RunUntil(timeNs);

    public void RunFor(TimeSpan span) => Clock.RunUntil(NowNs + (long)(span.TotalMilliseconds * 1e6));

    public void Kill(string name)
    {
        var node = _nodes[name];
        node.Algorithm = null;
        node.IsPaused = false;
        node.Buffered.Clear();
        node.Incarnation++;
        foreach (var write in node.PendingWrites.Values)
        {
            write.Done(WriteOutcome.Info("connection reset: node killed"));
        }
        node.PendingWrites.Clear();
    }

    public void Restart(string name)
    {
        var node = _nodes[name];
        if (!node.IsUp)
        {
            Boot(node);
        }
    }

    public void Pause(string name) => _nodes[name].IsPaused = true;

    public void Resume(string name)
    {
        var node = _nodes[name];
        if (!node.IsPaused)
        {
            return;
        }
        node.IsPaused = false;
        while (node.IsUp && node.Buffered.TryDequeue(out var buffered))
        {
            Deliver(node, buffered.Message, buffered.Depth);
        }
    }

    /// <summary>
    /// From now on a message from A to B is dropped iff <paramref name="grudge"/> has B drop A
    /// (<see cref="Grudge.DroppedBy"/>), which makes a directed grudge cut one way only.
    /// </summary>
    public void Partition(Grudge grudge) =>
        _drops = grudge.Nodes.ToDictionary(n => n, n => grudge.DroppedBy(n).ToHashSet());

    /// <summary>Starts counting message hops afresh, e.g. at the moment a leader is killed.</summary>
    public void ResetCausality()
    {
        _causalEpoch++;
        foreach (var node in _nodes.Values)
        {
            node.CausalDepth = 0;
        }
    }

    public void Heal() => _drops = null;

    /// <summary>
    /// From now on messages on the shaping's links are shaped, the others not (in place of any shaping).
    /// </summary>
    public void ShapePackets(PacketShape shape, IEnumerable<(string From, string To)> links) =>
        _packetShapes = links.ToDictionary(l => l, _ => shape);

    /// <summary>Messages in flight keep the fates they were given; new ones are no longer shaped.</summary>
    public void ClearPackets() => _packetShapes = null;

    public void ChangeClock(string name, ClockChange change) => _nodes[name].ChangeClock(NowNs, change);

    public void ResetClock(string name) => _nodes[name].ResetClock(NowNs);

    public long NodeWallMs(string name) => (long)_nodes[name].LocalMs(NowNs);

    /// <summary>A client write to <paramref name="name"/>; <paramref name="done"/> runs once, later.</summary>
    public void Write(string name, long writeId, Action<WriteOutcome> done) =>
        Clock.After(RandomDelayNs(), PendingWrite.Of(this, _nodes[name], writeId, done).Arrival);

    /// <summary>The write reached its node's process (if it is still the one it was sent to).</summary>
    private void WriteArrives(PendingWrite write, SimulatedNode node, int incarnation)
    {
        if (!node.IsUp || node.Incarnation != incarnation)
        {
            write.Done(WriteOutcome.Fail("connection refused"));
            return;
        }
        node.PendingWrites[write.WriteId] = write;
        write.AwaitTimeout(_writeTimeouts);
        // A frozen process accepts the connection but answers nothing: the write times out.
        if (!node.IsPaused)
        {
            node.Algorithm!.ProposeWrite(write.WriteId);
            Drain(node);
        }
    }

    private void Complete(SimulatedNode node, long writeId, WriteOutcome outcome)
    {
        if (node.PendingWrites.Remove(writeId, out var write))
        {
            Clock.After(RandomDelayNs(), write.Answered(outcome));
        }
    }

    /// <summary>
    /// A client write: on its way to its node, waiting there for the node's answer or its timeout, then the
    /// answer on its way back. Taken from a pool and put back once none of its events is still to come, so a
    /// write costs the simulator no closure or delegate (a hundred thousand a simulated hour), and its events
    /// happen in the same order as closures' would.
    /// </summary>
    internal sealed class PendingWrite
    {
        private static readonly WriteOutcome TimedOut = WriteOutcome.Info("timed out");

        private readonly SimulatedCluster _cluster;
        private readonly Action _timeOut;
        private readonly Action _answerArrives;
        private SimulatedNode _node = null!;
        private int _incarnation;
        private WriteOutcome? _answer;
        /// <summary>Its events on the clock still to come: the arrival, then the timeout and the answer.</summary>
        private int _eventsToCome;

        private PendingWrite(SimulatedCluster cluster)
        {
            _cluster = cluster;
            Arrival = () =>
            {
                _cluster.WriteArrives(this, _node, _incarnation);
                EventDone();
            };
            _timeOut = () =>
            {
                _cluster.Complete(_node, WriteId, TimedOut);
                EventDone();
            };
            _answerArrives = () =>
            {
                var (done, answer) = (Done, _answer!);
                EventDone();
                done(answer);
            };
        }

        public long WriteId { get; private set; }
        /// <summary>Runs once, with the write's outcome.</summary>
        public Action<WriteOutcome> Done { get; private set; } = null!;
        /// <summary>The write reaches its node: an action for the clock.</summary>
        public Action Arrival { get; }

        public static PendingWrite Of(
            SimulatedCluster cluster, SimulatedNode node, long writeId, Action<WriteOutcome> done)
        {
            var write = cluster._spareWrites.TryPop(out var pooled) ? pooled : new PendingWrite(cluster);
            (write._node, write._incarnation, write.WriteId, write.Done) = (node, node.Incarnation, writeId, done);
            write._eventsToCome = 1;
            return write;
        }

        public void AwaitTimeout(EventQueue.DelayLine timeouts)
        {
            _eventsToCome++;
            timeouts.After(_timeOut);
        }

        /// <summary>The node answered (or the write timed out): the answer's way back, an action for the clock.
        /// </summary>
        public Action Answered(WriteOutcome outcome)
        {
            _answer = outcome;
            _eventsToCome++;
            return _answerArrives;
        }

        private void EventDone()
        {
            if (--_eventsToCome == 0)
            {
                (_node, _answer, Done) = (null!, null, null!);
                _cluster._spareWrites.Push(this);
            }
        }
    }

    private void Boot(SimulatedNode node)
    {
        node.Incarnation++;
        var config = _template with { Self = node.Id };
        var seed = Seeds.Node(_seed, node.Id, node.Incarnation);
        node.Algorithm = Algorithms.Create(_algorithm, config, node.Persisted, seed);
        node.Ticks = new TickClock(config.TickMs, config.ElectionTicksMax);
        node.Ticks.TicksDue(node.LocalMs(NowNs));
        foreach (var status in node.Algorithm.Statuses)
        {
            Announce(node, status);
        }
        ScheduleTick(node, node.Incarnation);
    }

    private void ScheduleTick(SimulatedNode node, int incarnation)
    {
        Func<bool> tick = () =>
        {
            node.Algorithm!.Tick();
            return Drain(node) || !node.IsUp;
        };
        Clock.Repeat(node.TickDelayNs, () =>
        {
            if (node.Incarnation != incarnation || !node.IsUp)
            {
                return null;
            }
            if (!node.IsPaused)
            {
                FireTicks(node, tick);
            }
            return node.TickDelayNs;
        });
    }

    /// <summary>
    /// Fires the ticks due on the node's clock. Ticks the node says are idle (<see cref="IElectionNode.IdleTicks"/>)
    /// are given without taking a Ready, which would be empty: the same ticks, the same state, less work.
    /// </summary>
    private void FireTicks(SimulatedNode node, Func<bool> tick)
    {
        var due = node.Ticks.TicksDue(node.LocalMs(NowNs));
        var algorithm = node.Algorithm!;
        if (due <= algorithm.IdleTicks)
        {
            for (; due > 0; due--)
            {
                algorithm.Tick();
            }
            return;
        }
        TickClock.Fire(due, tick);
    }

    /// <summary>Carries out a Ready as the host does: persist, then send, then announce, then answer
    /// clients.</summary>
    /// <returns>Whether there was anything to carry out.</returns>
    private bool Drain(SimulatedNode node)
    {
        var ready = node.Algorithm!.TakeReady();
        if (ready.IsEmpty)
        {
            return false;
        }
        if (ready.Persist is { } state)
        {
            node.Persisted = state;
        }
        foreach (var message in ready.Messages)
        {
            Send(message);
        }
        foreach (var status in ready.StatusChanges)
        {
            Announce(node, status);
        }
        foreach (var ack in ready.AcknowledgedWrites)
        {
            Complete(node, ack.WriteId, WriteOutcome.Ok(ack.Term, ack.Group));
        }
        foreach (var writeId in ready.RejectedWrites)
        {
            Complete(node, writeId, WriteOutcome.Fail("not leader"));
        }
        // Nothing above keeps the batch's lists, only what is in them.
        ready.Recycle();
        return true;
    }

    private void Announce(SimulatedNode node, NodeStatus status) =>
        StatusChanged?.Invoke(new SimulatedStatus(node.Name, status, (long)node.LocalMs(NowNs), node.CausalDepth));

    private void Send(Message message)
    {
        MessagesSent++;
        var to = _nodesById[message.To];
        var sender = _nodesById[message.From];
        var from = sender.Name;
        var depth = sender.CausalDepth + 1;
        var epoch = _causalEpoch;
        // The node host sends each peer's messages over one TCP connection, which never reorders them.
        var arrivalNs = Math.Max(NowNs + RandomDelayNs(), _linkArrivalNs[sender.Id, to.Id]);
        _linkArrivalNs[sender.Id, to.Id] = arrivalNs;
        if (ShapedLinkOf(sender, to) is not { } shaped)
        {
            Clock.At(arrivalNs, InFlight.Of(this, to, from, message, depth, epoch).Land);
            return;
        }
        // The shaped link keeps its own order: once its shape is off, what follows stays behind what it held back.
        var deliveries = shaped.Send(message, arrivalNs);
        if (!shaped.Shape.IsNone)
        {
            MessagesShaped++;
            MessagesLostToShaping += deliveries.Count == 0 ? 1 : 0;
        }
        foreach (var delivery in deliveries)
        {
            Clock.At(delivery.AtNs, InFlight.Of(this, to, from, message, depth, epoch).Land);
        }
    }

    /// <summary>
    /// The link's shaping for this boot of its sender, with the shape in force (none once cleared), or
    /// null when the link was never shaped in this boot: then nothing is drawn, as in a run without packet faults.
    /// </summary>
    private ShapedLink<Message>? ShapedLinkOf(SimulatedNode sender, SimulatedNode to)
    {
        if (_packetShapes is null && _shapedLinks.Count == 0)
        {
            return null;
        }
        var from = sender.Name;
        var key = (from, to.Name, sender.Incarnation);
        var shape = _packetShapes?.GetValueOrDefault((from, to.Name));
        if (!_shapedLinks.TryGetValue(key, out var shaped))
        {
            if (shape is null)
            {
                return null;
            }
            shaped = new ShapedLink<Message>(new Random(Seeds.Packets(_seed, sender.Id, to.Id, sender.Incarnation)));
            _shapedLinks[key] = shaped;
        }
        shaped.Shape = shape ?? PacketShape.None;
        return shaped;
    }

    /// <summary>
    /// A message on its way, taken from a pool and put back as it lands: a message costs the simulator no
    /// closure or delegate (a million and more in a simulated hour), and lands in the same order as one.
    /// </summary>
    private sealed class InFlight
    {
        private SimulatedNode _to = null!;
        private string _from = null!;
        private Message _message = null!;
        private int _depth;
        private int _epoch;

        private InFlight(SimulatedCluster cluster) => Land = () =>
        {
            var (to, from, message, depth, epoch) = (_to, _from, _message, _depth, _epoch);
            _message = null!;
            cluster._inFlight.Push(this);
            cluster.Arrive(to, from, message, depth, epoch);
        };

        /// <summary>Hands the message to <see cref="Arrive"/>, once: the action for the clock.</summary>
        public Action Land { get; }

        public static InFlight Of(
            SimulatedCluster cluster, SimulatedNode to, string from, Message message, int depth, int epoch)
        {
            var inFlight = cluster._inFlight.TryPop(out var pooled) ? pooled : new InFlight(cluster);
            (inFlight._to, inFlight._from, inFlight._message, inFlight._depth, inFlight._epoch) =
                (to, from, message, depth, epoch);
            return inFlight;
        }
    }

    private void Arrive(SimulatedNode to, string from, Message message, int depth, int epoch)
    {
        // A message already in flight at the reset carries the depth of a chain that began
        // before it (heartbeats and their answers grow without end); it is one hop since.
        if (epoch != _causalEpoch)
        {
            depth = 1;
        }
        // Dropped at arrival, as iptables does, so a partition also catches packets in flight.
        if (!to.IsUp || (_drops is not null && _drops.TryGetValue(to.Name, out var dropped) && dropped.Contains(from)))
        {
            return;
        }
        if (to.IsPaused)
        {
            to.Buffered.Enqueue((message, depth));
            return;
        }
        Deliver(to, message, depth);
    }

    private void Deliver(SimulatedNode node, Message message, int depth)
    {
        node.CausalDepth = Math.Max(node.CausalDepth, depth);
        node.Algorithm!.Step(message);
        Drain(node);
    }

    private long RandomDelayNs() => _network.NextInt64(MessageDelayNsMin, MessageDelayNsMax);
}
