using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.History;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// The run on the simulator: the same loop, plan, fault schedule, workload and history format as
/// a container run, on a virtual clock, so one seed gives the same history every time. Every wait
/// is an event on the clock whose continuation runs inline when it fires (nothing here completes
/// a task any other way), so the whole run happens on the thread that lets time pass, in one order.
/// </summary>
public sealed class SimulatedRuntime(RunPlan plan) : IRuntime
{
    private const long NsPerS = 1_000_000_000;

    private readonly SimulatedCluster _cluster =
        new(plan.Algorithm, plan.Nodes, plan.Seed, plan.AlgorithmSettings.Cluster);
    private readonly Stack<ClockWait<bool>> _waits = new();
    private readonly List<(string Node, NodeStatus Status)> _words = [];
    private Recorder? _recorder;
    private SimulatedFaults? _faults;
    private INemesis? _nemesis;
    /// <summary>The fault player's wait, while it waits.</summary>
    private TaskCompletionSource? _due;
    private CancellationTokenRegistration _dueCancelled;
    /// <summary>
    /// The due time the clock has a wake-up for: one per due time, however often the player waits for it.
    /// </summary>
    private long? _wakeNs;
    /// <summary>A node spoke while the player was stepping: it steps again before it waits.</summary>
    private bool _stepAgain;

    /// <summary>
    /// Records <paramref name="plan"/> on the simulator into <paramref name="writer"/>; returns when the run
    /// ends. Run without the caller's synchronization context, which would post the continuations elsewhere.
    /// </summary>
    /// <remarks>
    /// The history's lines are held back and written in blocks (<see cref="HistoryWriter.FlushesEachLine"/>),
    /// all of them by the time this returns or throws, and so on Ctrl-C or SIGTERM too (the run then ends
    /// "interrupted" within a simulated second). Only a process killed outright loses the lines still held,
    /// and the seed makes the same run, line for line, again.
    /// </remarks>
    public static void Record(
        RunPlan plan, HistoryWriter writer, DateTimeOffset startedAt, CancellationToken cancellation)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        writer.FlushesEachLine = false;
        try
        {
            var run = new RunLoop(plan, new SimulatedRuntime(plan)).RunAsync(writer, startedAt, null, cancellation);
            if (!run.IsCompleted)
            {
                throw new InvalidOperationException("a simulated run waited for something off its virtual clock");
            }
            run.GetAwaiter().GetResult();
        }
        finally
        {
            writer.Flush();
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public long NowNs => _cluster.NowNs;
    public DateTimeOffset StartedAt { get; private set; }
    public string? RunId => null;

    /// <summary>Nothing: a simulated run is over in a blink, and its faults take no time to report.</summary>
    public TextWriter Progress => TextWriter.Null;

    public IFaultMechanisms Faults => _faults ?? throw new InvalidOperationException("faults before observing");

    /// <summary>A simulated node's clock counts from the run's start, which is the moment it was asked for.</summary>
    public Task StartAsync(DateTimeOffset requestedAt, CancellationToken cancellation)
    {
        StartedAt = requestedAt;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Boots the nodes and records every word they announce as they announce it. A word the nemesis
    /// watches for wakes the fault player there and then, before the node does anything more.
    /// </summary>
    public Task ObserveAsync(Recorder recorder, CancellationToken cancellation)
    {
        _recorder = recorder;
        _faults = new SimulatedFaults(_cluster, recorder);
        // The history wants Unix ms, skew included.
        var startedAtMs = StartedAt.ToUnixTimeMilliseconds();
        _cluster.StatusChanged += s =>
        {
            recorder.Record((Said: s, StartedAtMs: startedAtMs), static (t, state) =>
                Events.State(t, state.Said.Node, state.Said.Status, state.StartedAtMs + state.Said.NodeWallMs));
            if (_nemesis?.WatchesObservations == true)
            {
                Wake();
            }
        };
        _cluster.Start();
        return Task.CompletedTask;
    }

    public IEnumerable<(string Node, NodeStatus? Status)> Latest =>
        _cluster.Names.Select(n => (n, _cluster.StatusOf(n)));

    /// <summary>
    /// What every node last announced in each group; nothing for a killed node. One list, refilled each time it is
    /// asked for (on every write), so it is read before it is asked for again.
    /// </summary>
    public IEnumerable<(string Node, NodeStatus Status)> Words
    {
        get
        {
            _words.Clear();
            _cluster.AddStatuses(_words);
            return _words;
        }
    }

    public ISystemClient Connect(int process) => new SimulatedClient(_cluster);

    public ValueTask<bool> DelayAsync(long delayNs, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return ValueTask.FromResult(false);
        }
        var wait = ClockWait<bool>.Start(_waits, onElapsed: true, cancellation, onCancelled: false);
        _cluster.Clock.After(delayNs, wait.Elapsed);
        return wait.Task;
    }

    /// <summary>Advances the virtual clock a simulated second at a time, to see a Ctrl-C between them.</summary>
    public Task<bool> RunUntilAsync(long untilNs, CancellationToken cancellation)
    {
        while (_cluster.NowNs < untilNs)
        {
            if (cancellation.IsCancellationRequested)
            {
                return Task.FromResult(false);
            }
            _cluster.RunUntil(Math.Min(untilNs, _cluster.NowNs + NsPerS));
        }
        return Task.FromResult(!cancellation.IsCancellationRequested);
    }

    /// <summary>
    /// Every mechanism here takes effect at once, so a step completes before the clock moves on. A
    /// mechanism can make a node speak (a restart), which calls for a step within the step: it is
    /// taken once the current one is done, before the player waits.
    /// </summary>
    public Task UntilDueAsync(INemesis nemesis, CancellationToken cancellation)
    {
        _nemesis = nemesis;
        if (_stepAgain)
        {
            _stepAgain = false;
            return Task.CompletedTask;
        }
        if (nemesis.DueNs is { } dueNs && dueNs != _wakeNs)
        {
            _wakeNs = dueNs;
            _cluster.Clock.At(Math.Max(dueNs, _cluster.NowNs), Wake);
        }
        var due = new TaskCompletionSource();
        _due = due;
        _dueCancelled = cancellation.Register(() => due.TrySetCanceled(cancellation));
        return due.Task;
    }

    /// <summary>
    /// Lets a waiting player step; one that is stepping steps again. A player that is done ignores it.
    /// </summary>
    private void Wake()
    {
        if (_due is not { } due)
        {
            _stepAgain = true;
            return;
        }
        _due = null;
        _dueCancelled.Dispose();
        due.TrySetResult();
    }

    public Task FinalObservationAsync(CancellationToken cancellation)
    {
        var startedAtMs = StartedAt.ToUnixTimeMilliseconds();
        foreach (var node in _cluster.Names.Where(_cluster.IsUp))
        {
            foreach (var status in _cluster.StatusesOf(node))
            {
                _recorder!.Record(t =>
                    Events.State(t, node, status, startedAtMs + _cluster.NodeWallMs(node), source: "final"));
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Not waited for: the clock stops at the quiet period's end, and they stay open in the history.
    /// </summary>
    public Task InFlightAsync(Task clients) => Task.CompletedTask;

    /// <summary>A simulated node writes no log.</summary>
    public Task KeepLogsAsync(Func<string, string> nodeLogDirectory, CancellationToken cancellation) =>
        Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
