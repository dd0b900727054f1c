using Coup.Faults;
using Coup.History;

namespace Coup.Harness.Run;

/// <summary>
/// The run, on either runtime: start the cluster, observe, drive the workload and play the nemesis
/// until the time limit (or Ctrl-C), heal, keep the clients writing through a quiet period
/// measured from the heal, observe once more, then keep the logs and remove the cluster, whatever
/// happened. The runtime owns the mechanisms and the clock; every decision is made here, once.
/// </summary>
/// <remarks>
/// The loop cancels its own sources itself, on the thread that runs it: a simulator's waits continue
/// inline where they are cancelled, and a Ctrl-C arrives on another thread. It is seen only where
/// the runtime lets time pass (<see cref="IRuntime.RunUntilAsync"/>).
/// </remarks>
public sealed class RunLoop(RunPlan plan, IRuntime runtime)
{
    private const long NsPerS = 1_000_000_000;

    /// <summary>Bounds teardown after Ctrl-C so the process exits promptly.</summary>
    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Records the run into <paramref name="writer"/>, keeps the nodes' logs in
    /// <paramref name="nodeLogDirectory"/> (none when null) and disposes the runtime.
    /// </summary>
    public async Task RunAsync(HistoryWriter writer, DateTimeOffset requestedAt,
        Func<string, string>? nodeLogDirectory, CancellationToken cancellation)
    {
        try
        {
            if (await StartAsync(writer, requestedAt, cancellation))
            {
                await RecordAsync(writer, cancellation);
            }
        }
        finally
        {
            if (nodeLogDirectory is not null)
            {
                await runtime.KeepLogsAsync(nodeLogDirectory, CancellationToken.None);
            }
            await runtime.DisposeAsync();
        }
    }

    /// <summary>False when interrupted while starting: the history then says so and nothing else.</summary>
    private async Task<bool> StartAsync(
        HistoryWriter writer, DateTimeOffset requestedAt, CancellationToken cancellation)
    {
        try
        {
            await runtime.StartAsync(requestedAt, cancellation);
            return true;
        }
        catch (OperationCanceledException)
        {
            using var cut = new Recorder(writer, () => 0);
            cut.Record(_ => Events.Started(plan, runtime.StartedAt, runtime.RunId));
            cut.Record(t => new RunEnded { TimeNs = t, Reason = "interrupted" });
            return false;
        }
    }

    private async Task RecordAsync(HistoryWriter writer, CancellationToken cancellation)
    {
        using var recorder = new Recorder(writer, () => runtime.NowNs);
        recorder.Record(_ => Events.Started(plan, runtime.StartedAt, runtime.RunId));

        // Faults stop at the time limit or on Ctrl-C, the clients at the quiet period's end; observation goes on until
        // the end.
        using var observing = new CancellationTokenSource();
        using var faulting = new CancellationTokenSource();
        using var writing = new CancellationTokenSource();
        var observation = runtime.ObserveAsync(recorder, observing.Token);
        var clients = new Workload(recorder, plan, runtime).RunAsync(writing.Token);
        var player = new FaultPlayer(plan.PlayedNemesis(), runtime, recorder);
        var faults = player.RunAsync(faulting.Token);
        var reason = "time-limit";
        string? error = null;
        var limit = runtime.RunUntilAsync((long)(plan.TimeLimitS * NsPerS), cancellation);
        await Task.WhenAny(limit, faults);
        if (faults.Exception?.InnerException is { } failure)
        {
            // A fault that cannot be applied ends the run: it is an error, never a silent no-op.
            error = $"the nemesis failed: {failure.Message}";
            reason = "error";
            runtime.Progress.WriteLine($"coup: {error}");
        }
        else if (!await limit)
        {
            reason = "interrupted";
        }
        Cancel(faulting);
        long? healedNs = null;
        // Healing and the final observation finish even after Ctrl-C, but within TeardownTimeout of it.
        using var teardown = new CancellationTokenSource();
        using var bounded = cancellation.Register(() => teardown.CancelAfter(TeardownTimeout));
        try
        {
            await faults.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await player.HealAllAsync(teardown.Token);
            healedNs = runtime.NowNs;
            if (reason != "interrupted")
            {
                // The quiet period: clients keep writing so liveness and availability are measured healed.
                if (!await runtime.RunUntilAsync(healedNs.Value + (long)(plan.QuietS * NsPerS), cancellation))
                {
                    reason = "interrupted";
                }
                Cancel(writing);
                await runtime.InFlightAsync(clients);
            }
            await runtime.FinalObservationAsync(teardown.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || teardown.IsCancellationRequested)
        {
            runtime.Progress.WriteLine($"coup: teardown failed: {e.Message}");
            error ??= $"teardown failed: {e.Message}";
            reason = reason == "interrupted" ? reason : "error";
            healedNs = null;
        }
        finally
        {
            Cancel(writing);
            Cancel(observing);
            await observation.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await runtime.InFlightAsync(clients).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            recorder.Record(t => new RunEnded
            {
                TimeNs = t,
                Reason = reason,
                HealedNs = reason == "interrupted" ? null : healedNs,
                Error = error,
            });
        }
    }

    /// <summary>
    /// At once and on this thread (not <c>CancelAsync</c>, which runs the callbacks elsewhere):
    /// in the simulator, what waited on the source continues here, before the clock moves on.
    /// </summary>
    private static void Cancel(CancellationTokenSource source) => source.Cancel();
}
