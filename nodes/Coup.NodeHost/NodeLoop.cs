using System.Diagnostics;
using System.Threading.Channels;
using Coup.Nodes;

namespace Coup.NodeHost;

/// <summary>
/// The single thread that owns the algorithm: peers' messages, client writes and clock checks
/// arrive on one channel and are handled in order. Ticks come from the process's monotonic clock,
/// so a libfaketime offset or rate reaches the algorithm's timers.
/// </summary>
public sealed class NodeLoop
{
    public const int InputQueueLengthMax = 4096;
    private static readonly TimeSpan ClockCheckPeriod = TimeSpan.FromMilliseconds(2);

    private readonly IElectionNode _node;
    private readonly HardStateFile _hardState;
    private readonly IReadOnlyDictionary<int, IPeerLink> _links;
    private readonly TickClock _ticks;
    private readonly ILogger _logger;
    private readonly Channel<object> _inputs = Channel.CreateBounded<object>(
        new BoundedChannelOptions(InputQueueLengthMax)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
    private readonly Dictionary<long, TaskCompletionSource<WriteReply>> _pendingWrites = [];
    private readonly Lock _subscribersLock = new();
    private readonly List<Channel<StatusReport>> _subscribers = [];
    /// <summary>
    /// The latest status of each group the node speaks for, the primary one first; owned by the loop's thread.
    /// </summary>
    private readonly Dictionary<string, NodeStatus> _statuses = [];
    /// <summary>
    /// Whether the node speaks for one group at a time (invitation
    /// moves between groups), so a new group replaces the old.
    /// </summary>
    private readonly bool _oneGroupAtATime;

    private sealed record ClockCheck;
    private sealed record WriteRequest(long Id, TaskCompletionSource<WriteReply> Reply);
    private sealed record CausalityReset(long Epoch, TaskCompletionSource Done);

    // Election accounting, owned by the loop's thread; MessagesSent is also read from others.
    private long _causalEpoch;
    private int _causalDepth;
    private long _messagesSent;

    public NodeLoop(
        IElectionNode node, HardStateFile hardState, IReadOnlyDictionary<int, IPeerLink> links, ClusterConfig config,
        ILogger logger)
    {
        _node = node;
        _hardState = hardState;
        _links = links;
        _logger = logger;
        _ticks = new TickClock(config.TickMs, config.ElectionTicksMax);
        foreach (var status in node.Statuses)
        {
            _statuses[status.Group] = status;
        }
        _oneGroupAtATime = _statuses.Count == 1;
        Current = Report();
    }

    /// <summary>The latest announced statuses; read from any thread.</summary>
    public StatusReport Current { get; private set; }

    public void Post(PeerEnvelope envelope) => _inputs.Writer.TryWrite(envelope);

    /// <summary>Messages sent to peers since the counting epoch began.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>
    /// Begins counting epoch <paramref name="epoch"/>: messages sent and hops start again from
    /// zero, as the simulator's do at a kill. An epoch a peer's message already brought is not
    /// begun twice. Completes once the loop has taken it, in order with everything else.
    /// </summary>
    public Task StartCausalEpochAsync(long epoch)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inputs.Writer.TryWrite(new CausalityReset(epoch, done)))
        {
            done.SetException(new InvalidOperationException("node is shutting down"));
        }
        return done.Task;
    }

    /// <summary>Asks the algorithm to take a write; completes when it acknowledges or refuses.</summary>
    public Task<WriteReply> WriteAsync(long id)
    {
        var reply = new TaskCompletionSource<WriteReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inputs.Writer.TryWrite(new WriteRequest(id, reply)))
        {
            reply.SetResult(new WriteReply { Error = "node is shutting down" });
        }
        return reply.Task;
    }

    /// <summary>A stream of every status change, starting with the current one.</summary>
    public ChannelReader<StatusReport> Subscribe(CancellationToken cancellation)
    {
        var channel = Channel.CreateBounded<StatusReport>(
            new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_subscribersLock)
        {
            channel.Writer.TryWrite(Current);
            _subscribers.Add(channel);
        }
        cancellation.Register(() =>
        {
            lock (_subscribersLock)
            {
                _subscribers.Remove(channel);
            }
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    public async Task RunAsync(CancellationToken cancellation)
    {
        _ = Task.Run(() => CheckClockAsync(cancellation), cancellation);
        _ticks.TicksDue(NowMs());
        _logger.LogInformation("n{Id} starts as {Status}", _node.Id, _node.Status);
        await foreach (var input in _inputs.Reader.ReadAllAsync(cancellation))
        {
            switch (input)
            {
                case PeerEnvelope envelope:
                    CountHops(envelope);
                    _node.Step(envelope.Message);
                    break;
                case CausalityReset reset:
                    BeginEpoch(reset.Epoch);
                    reset.Done.SetResult();
                    break;
                case WriteRequest write:
                    _pendingWrites[write.Id] = write.Reply;
                    _node.ProposeWrite(write.Id);
                    break;
                case ClockCheck:
                    _ticks.Fire(NowMs(), () =>
                    {
                        _node.Tick();
                        var ready = _node.TakeReady();
                        var acted = !ready.IsEmpty;
                        Carry(ready);
                        return acted;
                    });
                    break;
            }
            Carry(_node.TakeReady());
        }
    }

    private async Task CheckClockAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(ClockCheckPeriod);
        while (await timer.WaitForNextTickAsync(cancellation))
        {
            _inputs.Writer.TryWrite(new ClockCheck());
        }
    }

    private void BeginEpoch(long epoch)
    {
        if (epoch <= _causalEpoch)
        {
            return;
        }
        _causalEpoch = epoch;
        _causalDepth = 0;
        Interlocked.Exchange(ref _messagesSent, 0);
    }

    /// <summary>A message of a newer epoch begins it here too; one from before the epoch counts as one hop.</summary>
    private void CountHops(PeerEnvelope envelope)
    {
        BeginEpoch(envelope.Epoch);
        _causalDepth = Math.Max(_causalDepth, envelope.Epoch == _causalEpoch ? envelope.Hops : 1);
    }

    private static double NowMs() => Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;

    /// <summary>Persist before anything leaves, then send, then announce, then answer clients.</summary>
    private void Carry(Ready ready)
    {
        if (ready.IsEmpty)
        {
            return;
        }
        if (ready.Persist is { } state)
        {
            _hardState.Save(state);
        }
        foreach (var message in ready.Messages)
        {
            _links[message.To].Send(new PeerEnvelope(_causalEpoch, _causalDepth + 1, message));
            Interlocked.Increment(ref _messagesSent);
        }
        if (ready.StatusChanges.Count > 0)
        {
            Announce(ready.StatusChanges);
        }
        foreach (var ack in ready.AcknowledgedWrites)
        {
            Answer(ack.WriteId, new WriteReply { Term = ack.Term, Group = ack.Group });
        }
        foreach (var id in ready.RejectedWrites)
        {
            Answer(id, new WriteReply { Error = "not leader" });
        }
    }

    private void Answer(long id, WriteReply reply)
    {
        if (_pendingWrites.Remove(id, out var pending))
        {
            pending.TrySetResult(reply);
        }
    }

    private void Announce(IReadOnlyList<NodeStatus> changes)
    {
        foreach (var status in changes)
        {
            if (_oneGroupAtATime)
            {
                _statuses.Clear();
            }
            _statuses[status.Group] = status;
            _logger.LogInformation(
                "status {Role} term {Term} leader {Leader} group {Group}",
                status.Role, status.Term, status.Leader, status.Group);
        }
        Current = Report();
        lock (_subscribersLock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(Current);
            }
        }
    }

    private StatusReport Report()
    {
        var status = _statuses.Values.First();
        return new StatusReport
        {
            Role = status.Role,
            Term = status.Term,
            Leader = status.Leader,
            Group = status.Group,
            NodeWallMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            CausalEpoch = _causalEpoch,
            CausalDepth = _causalDepth,
            MessagesSent = MessagesSent,
            Groups = _statuses.Count > 1 ? [.. _statuses.Values] : null,
        };
    }
}
