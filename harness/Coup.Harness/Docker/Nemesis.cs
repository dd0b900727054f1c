using Coup.Faults;
using Coup.Harness.Run;

namespace Coup.Harness.Docker;

/// <summary>
/// Plays the seeded schedule against the containers: each fault starts on time, its targets
/// chosen from what the observer sees, and is healed before the next. Start and stop are
/// stamped when the mechanism has returned, i.e. when the fault has taken effect.
/// </summary>
public sealed class Nemesis(Mechanisms mechanisms, Observer observer, Recorder recorder, RunPlan plan)
{
    private ResolvedFault? _active;
    private readonly Lock _lock = new();

    public async Task RunAsync(CancellationToken cancellation)
    {
        foreach (var planned in plan.Schedule())
        {
            await WaitUntilAsync(planned.StartS, cancellation);
            var fault = FaultTargets.Resolve(planned, plan.NodeNames, Events.CurrentLeader(observer.Latest));
            lock (_lock)
            {
                _active = fault;
            }
            // Not cancelled halfway: a fault that started is recorded, so teardown heals what the history shows.
            await ApplyAsync(fault, CancellationToken.None);
            recorder.Record(t => Events.Fault(t, "start", fault));
            await WaitUntilAsync(planned.StopS, cancellation);
            await HealAsync(CancellationToken.None);
        }
    }

    /// <summary>Heals the fault in progress, if any; safe to call again, and from teardown.</summary>
    public async Task HealAsync(CancellationToken cancellation)
    {
        ResolvedFault? fault;
        lock (_lock)
        {
            fault = _active;
            _active = null;
        }
        if (fault is null)
        {
            return;
        }
        var targets = fault.Targets;
        switch (fault.Plan.Kind)
        {
            case FaultKind.Kill:
                await Task.WhenAll(targets.Select(n => mechanisms.RestartAsync(n, cancellation)));
                break;
            case FaultKind.Pause:
                await Task.WhenAll(targets.Select(n => mechanisms.ResumeAsync(n, cancellation)));
                break;
            case FaultKind.Partition:
                await mechanisms.HealPartitionAsync(plan.NodeNames, cancellation);
                break;
            case FaultKind.Clock:
                await Task.WhenAll(targets.Select(n => mechanisms.ResetClockAsync(n, cancellation)));
                break;
        }
        recorder.Record(t => Events.Fault(t, "stop", fault));
    }

    private Task ApplyAsync(ResolvedFault fault, CancellationToken cancellation)
    {
        var targets = fault.Targets;
        return fault.Plan.Kind switch
        {
            FaultKind.Kill => Task.WhenAll(targets.Select(n => mechanisms.KillAsync(n, cancellation))),
            FaultKind.Pause => Task.WhenAll(targets.Select(n => mechanisms.PauseAsync(n, cancellation))),
            FaultKind.Partition => mechanisms.PartitionAsync(fault.Grudge!, cancellation),
            _ => Task.WhenAll(targets.Select(n => mechanisms.ChangeClockAsync(n, fault.Plan.Clock!, cancellation))),
        };
    }

    private async Task WaitUntilAsync(double seconds, CancellationToken cancellation)
    {
        var remainingMs = seconds * 1000 - recorder.NowNs / 1e6;
        if (remainingMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(remainingMs), cancellation);
        }
    }
}
