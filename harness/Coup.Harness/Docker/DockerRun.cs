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
        var stopwatch = Stopwatch.StartNew();
        using var recorder = new Recorder(writer, Recorder.MonotonicSince(stopwatch));
        recorder.Record(_ => Events.Started(plan, startedAt));
        try
        {
            output.WriteLine($"starting {plan.Nodes} {plan.Algorithm} nodes from {image}");
            await cluster.StartAsync(image, plan.Algorithm, plan.NodeNames, plan.Seed, cancellation);
            output.WriteLine($"cluster up in {stopwatch.Elapsed.TotalSeconds:0.0}s; running for {plan.TimeLimitS}s");
        }
        catch (OperationCanceledException)
        {
            recorder.Record(t => new RunEnded { TimeNs = t, Reason = "interrupted" });
            await cluster.CopyLogsAsync(store.NodeLogDirectory, CancellationToken.None);
            return;
        }

        // Faults and the workload stop at the time limit or on Ctrl-C; observation goes on until the end.
        using var observing = new CancellationTokenSource();
        using var working = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var observer = new Observer(cluster, recorder, plan.NodeNames);
        var observation = observer.RunAsync(observing.Token);
        var nemesis = new Nemesis(cluster.Faults, observer, recorder, plan);
        var workload = new Workload(cluster, recorder, plan);
        var clients = workload.RunAsync(working.Token);
        var faults = nemesis.RunAsync(working.Token);
        var reason = "time-limit";
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(plan.TimeLimitS), cancellation);
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
            output.WriteLine($"teardown: {e.Message}");
            reason = reason == "interrupted" ? reason : "error";
            healedNs = null;
        }
        finally
        {
            await observing.CancelAsync();
            await observation.ContinueWith(_ => { }, TaskScheduler.Default);
            await clients.ContinueWith(_ => { }, TaskScheduler.Default);
            recorder.Record(t => new RunEnded { TimeNs = t, Reason = reason, HealedNs = reason == "interrupted" ? null : healedNs });
            await cluster.CopyLogsAsync(store.NodeLogDirectory, CancellationToken.None);
        }
    }
}
