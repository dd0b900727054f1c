using Coup.Harness.Systems;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// A client of the simulated cluster: each write completes when the cluster answers, on its clock. Like a
/// workload process, it has one write in flight at a time, so one reused wait serves all of its writes.
/// </summary>
internal sealed class SimulatedClient : ISystemClient
{
    private readonly SimulatedCluster _cluster;
    private readonly Stack<ClockWait<SystemWrite>> _waits = new();
    private readonly Action<WriteOutcome> _answered;
    private ClockWait<SystemWrite>? _writing;

    public SimulatedClient(SimulatedCluster cluster)
    {
        _cluster = cluster;
        _answered = outcome =>
        {
            var writing = _writing!;
            _writing = null;
            writing.Completer(new SystemWrite(outcome, AcknowledgedBy: null));
        };
    }

    public ValueTask<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation)
    {
        if (_writing is not null)
        {
            throw new InvalidOperationException("a simulated client has one write in flight at a time");
        }
        _writing = ClockWait<SystemWrite>.Start(_waits, onElapsed: null!, CancellationToken.None, onCancelled: null!);
        var written = _writing.Task;
        _cluster.Write(node, value, _answered);
        return written;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
