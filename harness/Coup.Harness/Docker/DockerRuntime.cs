using System.Diagnostics;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.Nodes;
using Docker.DotNet;

namespace Coup.Harness.Docker;

/// <summary>
/// The run on real containers: a cluster of Coup's nodes or of a real system, its fault
/// mechanisms, an observer of what the members say, and real time, counted from the moment
/// every member answers.
/// </summary>
public sealed class DockerRuntime : IRuntime
{
    /// <summary>
    /// How often the fault player looks for a claim while a chase or an amnesia follows them. The
    /// observer sees a claim a few ms after it is made and the rules take ~100 ms to apply, so in
    /// containers the claim's first messages usually get out (in the simulator none do).
    /// </summary>
    public const int ClaimPollMs = 5;

    private readonly RunPlan _plan;
    private readonly DockerClient _docker;
    /// <summary>Whether the engine connection is this run's own; a matrix's standing cluster lends its own to
    /// every run, a real system's (which never reuses the cluster) included.</summary>
    private readonly bool _ownsDocker;
    private readonly IMembers _members;
    private readonly StandingCluster? _standing;
    private readonly Stopwatch _clock = new();
    private readonly string _freshRunId;
    private DockerCluster? _cluster;
    private IClusterObserver? _observer;
    private bool _started;
    private bool _disposed;

    private DockerRuntime(
        RunPlan plan, TextWriter output, DockerClient docker, IMembers members, StandingCluster? standing)
    {
        _plan = plan;
        Progress = output;
        _docker = docker;
        _ownsDocker = standing is null;
        _members = members;
        _standing = members is CoupMembers ? standing : null;
        _freshRunId = $"{plan.Seed}-{Guid.NewGuid().ToString("n")[..6]}";
    }

    /// <summary>
    /// Finds the engine, removes the runs of harnesses that are gone, and builds the images before
    /// anything is recorded, so an environment problem is a one-line error with nothing half-written
    /// in the store. Given a <paramref name="standing"/> cluster, a run of Coup's nodes takes it and
    /// gives it back, and uses its engine connection.
    /// </summary>
    public static async Task<DockerRuntime> PrepareAsync(
        RunPlan plan, TextWriter output, StandingCluster? standing, CancellationToken cancellation)
    {
        var docker = standing is null ? await DockerEngine.ConnectAsync(cancellation)
            : await standing.EngineAsync(cancellation);
        try
        {
            foreach (var removed in (await OrphanSweep.SweepLocalAsync(docker, cancellation)).Removed)
            {
                output.WriteLine(removed);
            }
            await NodeImage.EnsureReaperAsync(docker, output, cancellation);
            if (plan.System is { } name)
            {
                var system = ClusterSystems.Find(name);
                var image = await NodeImage.EnsureSystemAsync(
                    docker, system.Name, system.Dockerfile, output, cancellation);
                return new DockerRuntime(plan, output, docker,
                    new SystemMembers(image, system, SystemSettings.From(system, plan.Settings)), standing);
            }
            var nodeImage = await NodeImage.EnsureAsync(docker, output, cancellation);
            return new DockerRuntime(plan, output, docker,
                new CoupMembers(nodeImage, plan.Algorithm, plan.Seed, plan.AlgorithmSettings), standing);
        }
        catch
        {
            if (standing is null)
            {
                docker.Dispose();
            }
            throw;
        }
    }

    public long NowNs => Recorder.MonotonicSince(_clock)();
    public DateTimeOffset StartedAt { get; private set; }
    /// <summary>The cluster's: a reused cluster keeps the id of the run that started it, which labels it.</summary>
    public string RunId => _cluster?.RunId ?? _freshRunId;
    public TextWriter Progress { get; }

    private DockerCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");
    private IClusterObserver Observer =>
        _observer ?? throw new InvalidOperationException("the cluster is not observed");

    public IFaultMechanisms Faults => Cluster.Faults;

    /// <summary>
    /// The run's clock starts once every node answers, so the schedule and time limit are the cluster's.
    /// </summary>
    public async Task StartAsync(DateTimeOffset requestedAt, CancellationToken cancellation)
    {
        StartedAt = requestedAt;
        if (_plan.Choices.Contains(FaultKind.Amnesia) && Environment.GetEnvironmentVariable("DOCKER_HOST") is not null)
        {
            // docker exec refuses a paused container; only a local engine lets the harness enter its namespaces.
            throw CoupException.Usage("--nemesis amnesia changes a paused node's iptables rules, which needs a "
                + "local Docker engine; unset DOCKER_HOST or drop amnesia");
        }
        if (Coup.Faults.Timelines.TrackMechanisms.PausesUnderCuts(_plan.Tracks())
            && Environment.GetEnvironmentVariable("DOCKER_HOST") is not null)
        {
            throw CoupException.Usage("the timeline pauses nodes on one track while another cuts links, which " +
                "changes a paused node's iptables rules and needs a local Docker engine; unset DOCKER_HOST");
        }
        var starting = Stopwatch.StartNew();
        _cluster = await ResetStandingAsync(cancellation);
        if (_cluster is null)
        {
            _cluster = new DockerCluster(_docker, _freshRunId);
            Progress.WriteLine($"starting {_plan.Nodes} {_plan.Target} nodes from {_members.Image}");
            await _cluster.StartAsync(_members, _plan.NodeNames, cancellation);
        }
        _started = true;
        Progress.WriteLine($"cluster up in {starting.Elapsed.TotalSeconds:0.0}s; running for {_plan.TimeLimitS}s");
        _clock.Start();
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The standing cluster reset for this run, or null: none, or its reset failed (it is removed).</summary>
    private async Task<DockerCluster?> ResetStandingAsync(CancellationToken cancellation)
    {
        if (_standing is null || await _standing.TakeAsync(_members, _plan.NodeNames) is not { } cluster)
        {
            return null;
        }
        try
        {
            Progress.WriteLine($"resetting the standing {_plan.Nodes}-node cluster for {_plan.Target}");
            await cluster.ResetAsync(_members, cancellation);
            return cluster;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            Progress.WriteLine($"coup: the standing cluster could not be reset ({e.Message}); starting a fresh one");
            await cluster.DisposeAsync();
            return null;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Coup's nodes push their changes on their control API; a real system is polled with its own protocol.
    /// </summary>
    public Task ObserveAsync(Recorder recorder, CancellationToken cancellation)
    {
        _observer = _members is SystemMembers members
            ? new PollingObserver(
                members.System, members.Context, recorder, TimeSpan.FromMilliseconds(_plan.ObservePeriodMs))
            : new Observer(Cluster, recorder, _plan.NodeNames);
        return _observer.RunAsync(cancellation);
    }

    public IEnumerable<(string Node, NodeStatus? Status)> Latest => Observer.Latest;
    public IEnumerable<(string Node, NodeStatus Status)> Words => Observer.Words;

    /// <summary>Coup's node host takes writes on its control API; a real system with its own protocol.</summary>
    public ISystemClient Connect(int process) => _members is SystemMembers members
        ? members.System.Connect(members.Context, process)
        : new CoupNodeClient(Cluster);

    public async ValueTask<bool> DelayAsync(long delayNs, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(TimeSpan.FromTicks(delayNs / 100), cancellation);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public Task<bool> RunUntilAsync(long untilNs, CancellationToken cancellation) =>
        DelayAsync(Math.Max(0, untilNs - NowNs), cancellation).AsTask();

    /// <summary>
    /// Real time cannot be told when a node speaks: while the nemesis watches for a word, it looks every
    /// <see cref="ClaimPollMs"/>.
    /// </summary>
    public Task UntilDueAsync(INemesis nemesis, CancellationToken cancellation)
    {
        if (nemesis.DueNs is not { } dueNs)
        {
            return Task.CompletedTask;
        }
        var waitNs = dueNs - NowNs;
        if (nemesis.WatchesObservations)
        {
            waitNs = Math.Min(waitNs, ClaimPollMs * 1_000_000L);
        }
        return waitNs > 0 ? Task.Delay(TimeSpan.FromTicks(waitNs / 100), cancellation) : Task.CompletedTask;
    }

    public Task FinalObservationAsync(CancellationToken cancellation) => Observer.FinalObservationAsync(cancellation);

    /// <summary>
    /// Each write in flight completes or times out (the client's timeout bounds it) before the nodes are asked.
    /// </summary>
    public Task InFlightAsync(Task clients) => clients;

    public Task KeepLogsAsync(Func<string, string> nodeLogDirectory, CancellationToken cancellation) =>
        _cluster?.CopyLogsAsync(nodeLogDirectory, cancellation) ?? Task.CompletedTask;

    /// <summary>
    /// Removes every container and the network, or pauses the nodes of a cluster kept standing for
    /// the next run (removed when that fails); the run loop does it last, and again is a no-op.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (_cluster is not null && !await StandByAsync(_cluster))
            {
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            if (_ownsDocker)
            {
                _docker.Dispose();
            }
        }
    }

    private async Task<bool> StandByAsync(DockerCluster cluster)
    {
        if (_standing is null || !_started)
        {
            return false;
        }
        try
        {
            await cluster.StandByAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Progress.WriteLine($"coup: the cluster could not stand by for the next run ({e.Message}); removing it");
            return false;
        }
        await _standing.KeepAsync(cluster);
        return true;
    }
}
