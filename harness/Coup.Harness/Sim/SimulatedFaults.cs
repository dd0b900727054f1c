using Coup.Faults;
using Coup.Harness.Run;
using Coup.History;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// The simulator's fault mechanisms: each takes effect at once, on the virtual clock. A container
/// run's observer sees a killed node's stream end and a restarted one's begin; here the mechanism
/// records that itself, in the same words.
/// </summary>
public sealed class SimulatedFaults(SimulatedCluster cluster, Recorder recorder) : IFaultMechanisms
{
    public Task KillAsync(IReadOnlyList<string> nodes, CancellationToken cancellation)
    {
        foreach (var node in nodes)
        {
            cluster.Kill(node);
        }
        foreach (var node in nodes)
        {
            recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "down", Detail = "killed" });
        }
        return Task.CompletedTask;
    }

    /// <summary>A restarted node is under the cut in force at once: the network cuts each message.</summary>
    public Task RestartAsync(IReadOnlyList<string> nodes, CancellationToken cancellation)
    {
        foreach (var node in nodes)
        {
            cluster.Restart(node);
            recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "up", Detail = "restarted" });
        }
        return Task.CompletedTask;
    }

    public Task PauseAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Each(nodes, cluster.Pause);

    public Task ResumeAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Each(nodes, cluster.Resume);

    public Task PartitionAsync(Grudge grudge, CancellationToken cancellation)
    {
        cluster.Partition(grudge);
        return Task.CompletedTask;
    }

    public Task HealPartitionAsync(CancellationToken cancellation)
    {
        cluster.Heal();
        return Task.CompletedTask;
    }

    /// <summary>A simulated clock changes exactly as asked: no unplanned step.</summary>
    public Task<double> ChangeClockAsync(
        IReadOnlyList<string> nodes, ClockChange change, CancellationToken cancellation)
    {
        foreach (var node in nodes)
        {
            cluster.ChangeClock(node, change);
        }
        return Task.FromResult(0.0);
    }

    public Task ResetClockAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Each(nodes, cluster.ResetClock);

    public Task ShapePacketsAsync(PacketShaping shaping, CancellationToken cancellation)
    {
        cluster.ShapePackets(shaping.Shape, shaping.Links.Select(l => (l.From, l.To)));
        return Task.CompletedTask;
    }

    public Task ClearPacketsAsync(CancellationToken cancellation)
    {
        cluster.ClearPackets();
        return Task.CompletedTask;
    }

    private static Task Each(IReadOnlyList<string> nodes, Action<string> mechanism)
    {
        foreach (var node in nodes)
        {
            mechanism(node);
        }
        return Task.CompletedTask;
    }
}
