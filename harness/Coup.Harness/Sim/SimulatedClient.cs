using Coup.Harness.Systems;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>A client of the simulated cluster: each write completes when the cluster answers, on its clock.</summary>
internal sealed class SimulatedClient(SimulatedCluster cluster) : ISystemClient
{
    public Task<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation)
    {
        var written = new TaskCompletionSource<SystemWrite>();
        cluster.Write(node, value, outcome => written.SetResult(new SystemWrite(outcome, AcknowledgedBy: null)));
        return written.Task;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
