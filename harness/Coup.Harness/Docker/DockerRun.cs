using System.Diagnostics;
using Coup.Checkers.History;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Docker.DotNet;

namespace Coup.Harness.Docker;

/// <summary>
/// The pipeline on real containers: start the cluster, observe, drive the workload, play the
/// nemesis until the time limit (or Ctrl-C), then heal, wait a quiet period, observe once more,
/// copy logs and remove every container and the network, whatever happened.
/// </summary>
public sealed class DockerRun : IDisposable
{
    private readonly RunPlan _plan;
    private readonly TextWriter _output;
    private readonly DockerClient _docker;
    private readonly IMembers _members;

    private DockerRun(RunPlan plan, TextWriter output, DockerClient docker, IMembers members)
    {
        _plan = plan;
        _output = output;
        _docker = docker;
        _members = members;
    }

    /// <summary>
    /// Finds the engine, removes the runs of harnesses that are gone, and builds the images before
    /// anything is recorded, so an environment problem is a one-line error with nothing half-written
    /// in the store.
    /// </summary>
    public static async Task<DockerRun> PrepareAsync(RunPlan plan, TextWriter output, CancellationToken cancellation)
    {
        var docker = await DockerEngine.ConnectAsync(cancellation);
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
                var image = await NodeImage.EnsureSystemAsync(docker, system.Name, system.Dockerfile, output, cancellation);
                return new DockerRun(plan, output, docker, new SystemMembers(image, system, SystemSettings.From(system, plan.Settings)));
            }
            var nodeImage = await NodeImage.EnsureAsync(docker, output, cancellation);
            return new DockerRun(plan, output, docker,
                new CoupMembers(nodeImage, plan.Algorithm, plan.Seed, plan.AlgorithmSettings));
        }
        catch
        {
            docker.Dispose();
            throw;
        }
    }

    public void Dispose() => _docker.Dispose();

    /// <summary>Bounds teardown after Ctrl-C so the process exits promptly.</summary>
    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Coup's nodes push their changes and take writes on their control API; a real system is polled and written to with its own protocol.</summary>
    private (IClusterObserver, Workload) Observe(DockerCluster cluster, Recorder recorder)
    {
        if (_members is not SystemMembers members)
        {
            var streams = new Observer(cluster, recorder, _plan.NodeNames);
            return (streams, Workload.ForCoupNodes(cluster, streams, recorder, _plan));
        }
        var observer = new PollingObserver(members.System, members.Context, recorder, TimeSpan.FromMilliseconds(_plan.ObservePeriodMs));
        var workload = new Workload(
            recorder, _plan, process => members.System.Connect(members.Context, process), observer);
        return (observer, workload);
    }

    public async Task ExecuteAsync(RunStore store, HistoryWriter writer, DateTimeOffset startedAt, CancellationToken cancellation)
    {
        if (_plan.Nemesis.Contains(FaultKind.Amnesia) && Environment.GetEnvironmentVariable("DOCKER_HOST") is not null)
        {
            // docker exec refuses a paused container; only a local engine lets the harness enter its namespaces.
            throw CoupException.Usage("--nemesis amnesia changes a paused node's iptables rules, which needs a local Docker engine; unset DOCKER_HOST or drop amnesia");
        }
        var runId = $"{_plan.Seed}-{Guid.NewGuid().ToString("n")[..6]}";
        await using var cluster = new DockerCluster(_docker, runId);
        // The run's clock starts once every node answers, so the schedule and time limit are the cluster's.
        var starting = Stopwatch.StartNew();
        try
        {
            _output.WriteLine($"starting {_plan.Nodes} {_plan.Target} nodes from {_members.Image}");
            await cluster.StartAsync(_members, _plan.NodeNames, cancellation);
            _output.WriteLine($"cluster up in {starting.Elapsed.TotalSeconds:0.0}s; running for {_plan.TimeLimitS}s");
        }
        catch (CoupException)
        {
            // A member that never came up: its log says why, so it is kept before the containers go.
            await cluster.CopyLogsAsync(store.NodeLogDirectory, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException)
        {
            using var cut = new Recorder(writer, () => 0);
            cut.Record(_ => Events.Started(_plan, startedAt, runId));
            cut.Record(t => new RunEnded { TimeNs = t, Reason = "interrupted" });
            await cluster.CopyLogsAsync(store.NodeLogDirectory, CancellationToken.None);
            return;
        }
        var stopwatch = Stopwatch.StartNew();
        var runStartedAt = DateTimeOffset.UtcNow;
        using var recorder = new Recorder(writer, Recorder.MonotonicSince(stopwatch));
        recorder.Record(_ => Events.Started(_plan, runStartedAt, runId));

        // Faults and the workload stop at the time limit or on Ctrl-C; observation goes on until the end.
        using var observing = new CancellationTokenSource();
        using var working = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var (observer, workload) = Observe(cluster, recorder);
        var observation = observer.RunAsync(observing.Token);
        var player = new FaultPlayer(new Nemesis(_plan.Schedule(), _plan.NodeNames), cluster.Faults, recorder,
            () => [.. observer.Latest], _output);
        var clients = workload.RunAsync(working.Token);
        var faults = player.RunAsync(working.Token);
        var reason = "time-limit";
        string? error = null;
        try
        {
            var limit = Task.Delay(TimeSpan.FromSeconds(_plan.TimeLimitS), cancellation);
            if (await Task.WhenAny(limit, faults) == faults && faults.Exception?.InnerException is { } failure)
            {
                // A fault that cannot be applied ends the run: it is an error, never a silent no-op.
                error = $"the nemesis failed: {failure.Message}";
                reason = "error";
                _output.WriteLine($"coup: {error}");
            }
            else
            {
                await limit;
            }
        }
        catch (OperationCanceledException)
        {
            reason = "interrupted";
        }
        await working.CancelAsync();
        long? healedNs = null;
        // Healing and the final observation finish even after Ctrl-C, but within TeardownTimeout of it.
        using var teardown = new CancellationTokenSource();
        using var bounded = cancellation.Register(() => teardown.CancelAfter(TeardownTimeout));
        try
        {
            await faults.ContinueWith(_ => { }, TaskScheduler.Default);
            await player.HealAllAsync(teardown.Token);
            healedNs = recorder.NowNs;
            if (reason != "interrupted")
            {
                // The quiet period: clients keep writing so liveness and availability are measured healed.
                await clients;
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                quiet.CancelAfter(TimeSpan.FromSeconds(_plan.QuietS));
                await workload.RunAsync(quiet.Token);
                reason = cancellation.IsCancellationRequested ? "interrupted" : reason;
            }
            await observer.FinalObservationAsync(teardown.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || teardown.IsCancellationRequested)
        {
            _output.WriteLine($"coup: teardown failed: {e.Message}");
            error ??= $"teardown failed: {e.Message}";
            reason = reason == "interrupted" ? reason : "error";
            healedNs = null;
        }
        finally
        {
            await observing.CancelAsync();
            await observation.ContinueWith(_ => { }, TaskScheduler.Default);
            await clients.ContinueWith(_ => { }, TaskScheduler.Default);
            recorder.Record(t => new RunEnded { TimeNs = t, Reason = reason, HealedNs = reason == "interrupted" ? null : healedNs, Error = error });
            await cluster.CopyLogsAsync(store.NodeLogDirectory, CancellationToken.None);
        }
    }
}
