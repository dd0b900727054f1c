using System.Diagnostics;
using Coup.Checkers.History;
using Coup.Harness.Run;

namespace Coup.Harness.Docker;

/// <summary>
/// The pipeline on real containers: start the cluster, observe, drive the workload, play the
/// nemesis until the time limit (or Ctrl-C), then heal, wait a quiet period, observe once more,
/// copy logs and remove every container and the network, whatever happened.
/// </summary>
public sealed class DockerRun(RunPlan plan, RunStore store, TextWriter output)
{
    /// <summary>Bounds teardown after Ctrl-C so the process exits promptly.</summary>
    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(10);

    public async Task ExecuteAsync(HistoryWriter writer, DateTimeOffset startedAt, CancellationToken cancellation)
    {
        using var docker = await DockerEngine.ConnectAsync(cancellation);
        var image = await NodeImage.EnsureAsync(docker, output, cancellation);
        var runId = $"{plan.Seed}-{Guid.NewGuid().ToString("n")[..6]}";
        await using var cluster = new DockerCluster(docker, runId);
        // The run's clock starts once every node answers, so the schedule and time limit are the cluster's.
        var starting = Stopwatch.StartNew();
        try
        {
            output.WriteLine($"starting {plan.Nodes} {plan.Algorithm} nodes from {image}");
            await cluster.StartAsync(image, plan.Algorithm, plan.NodeNames, plan.Seed, cancellation);
            output.WriteLine($"cluster up in {starting.Elapsed.TotalSeconds:0.0}s; running for {plan.TimeLimitS}s");
        }
        catch (OperationCanceledException)
        {
            using var cut = new Recorder(writer, () => 0);
            cut.Record(_ => Events.Started(plan, startedAt));
            cut.Record(t => new RunEnded { TimeNs = t, Reason = "interrupted" });
            await cluster.CopyLogsAsync(store.NodeLogDirectory, CancellationToken.None);
            return;
        }
        var stopwatch = Stopwatch.StartNew();
        var runStartedAt = DateTimeOffset.UtcNow;
        using var recorder = new Recorder(writer, Recorder.MonotonicSince(stopwatch));
        recorder.Record(_ => Events.Started(plan, runStartedAt));

        // Faults and the workload stop at the time limit or on Ctrl-C; observation goes on until the end.
        using var observing = new CancellationTokenSource();
        using var working = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var observer = new Observer(cluster, recorder, plan.NodeNames);
        var observation = observer.RunAsync(observing.Token);
        var nemesis = new Nemesis(cluster.Faults, observer, recorder, plan, output);
        var workload = new Workload(cluster, recorder, plan);
        var clients = workload.RunAsync(working.Token);
        var faults = nemesis.RunAsync(working.Token);
        var reason = "time-limit";
        string? error = null;
        try
        {
            var limit = Task.Delay(TimeSpan.FromSeconds(plan.TimeLimitS), cancellation);
            if (await Task.WhenAny(limit, faults) == faults && faults.Exception?.InnerException is { } failure)
            {
                // A fault that cannot be applied ends the run: it is an error, never a silent no-op.
                error = $"the nemesis failed: {failure.Message}";
                reason = "error";
                output.WriteLine($"coup: {error}");
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
        using var teardown = new CancellationTokenSource(reason == "interrupted" ? TeardownTimeout : Timeout.InfiniteTimeSpan);
        try
        {
            await faults.ContinueWith(_ => { }, TaskScheduler.Default);
            await nemesis.HealAsync(teardown.Token);
            healedNs = recorder.NowNs;
            if (reason != "interrupted")
            {
                // The quiet period: clients keep writing so liveness and availability are measured healed.
                await clients;
                using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(plan.QuietS));
                await workload.RunAsync(quiet.Token);
            }
            await observer.FinalObservationAsync(teardown.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || teardown.IsCancellationRequested)
        {
            output.WriteLine($"coup: teardown failed: {e.Message}");
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
