using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>
/// Client processes writing at a steady rate, one write outstanding per process, each recorded
/// as an invoke and its ok / fail / info completion. Each process has its own client connection;
/// a client that does not pick its server itself (a session, a Sentinel's answer) sends each
/// write where <see cref="WriteRouting"/> says, from what the runtime's observer last saw.
/// </summary>
public sealed class Workload(Recorder recorder, RunPlan plan, IRuntime runtime)
{
    /// <summary>Coup's algorithms may split writes into groups (partitions); a real system's are all in one.</summary>
    private readonly IAlgorithmDefinition? _algorithm = plan.System is null ? Algorithms.Get(plan.Algorithm) : null;
    private long _nextValue;

    /// <summary>
    /// Writes until <paramref name="cancellation"/>; a write in flight then is the runtime's
    /// (<see cref="IRuntime.InFlightAsync"/>).
    /// </summary>
    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(p => ProcessAsync(p, cancellation)));

    private async Task ProcessAsync(int process, CancellationToken cancellation)
    {
        var random = WriteRouting.ForProcess(plan.Seed, process);
        // Built once: the plan makes a new list of names each time it is asked.
        var nodes = plan.NodeNames;
        await using var client = runtime.Connect(process);
        while (await runtime.DelayAsync(WriteRouting.GapNs(plan.WriteRateHz, random), cancellation))
        {
            var value = Interlocked.Increment(ref _nextValue);
            var node = await client.ServerAsync(CancellationToken.None)
                ?? WriteRouting.Choose(WriteRouting.GroupOf(_algorithm, value), runtime.Words, nodes, random);
            var invoke = recorder.Record(
                (process, node, value), static (t, op) => Events.Invoke(t, op.process, op.node, op.value));
            // Not cancelled by the run ending: a write in flight is always completed or timed out.
            var write = await client.WriteAsync(node, value, CancellationToken.None);
            recorder.Record((invoke, write),
                static (t, op) => Events.Completion(t, op.invoke, op.write.Outcome, op.write.AcknowledgedBy));
        }
    }
}
