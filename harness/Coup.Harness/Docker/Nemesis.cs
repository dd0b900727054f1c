using Coup.Faults;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Plays the seeded schedule against the containers: each fault starts on time, its targets
/// chosen from what the observer sees, and is healed before the next. Start and stop are
/// stamped when the mechanism has returned, i.e. when the fault has taken effect.
/// </summary>
public sealed class Nemesis(Mechanisms mechanisms, IClusterObserver observer, Recorder recorder, RunPlan plan, TextWriter output)
{
    /// <summary>A fault whose predecessor healed late starts at least this long after it.</summary>
    public const double GapSMin = 1;

    private ResolvedFault? _active;
    private readonly Lock _lock = new();

    public async Task RunAsync(CancellationToken cancellation)
    {
        var earliestS = 0.0;
        foreach (var planned in plan.Schedule())
        {
            // A slow heal (a restarted node booting) delays the schedule rather than shortening the next fault.
            await WaitUntilAsync(Math.Max(planned.StartS, earliestS), cancellation);
            var fault = FaultTargets.Resolve(planned, plan.NodeNames, Events.CurrentLeader(observer.Latest));
            lock (_lock)
            {
                _active = fault;
            }
            // Not cancelled halfway: a fault that started is recorded, so teardown heals what the history shows.
            var applying = System.Diagnostics.Stopwatch.StartNew();
            fault = await ApplyAsync(fault, CancellationToken.None);
            recorder.Record(t => Events.Fault(t, "start", fault));
            output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s {fault.Plan.Kind.RecordedName()} {fault.Detail} (applied in {applying.ElapsedMilliseconds} ms)");
            var holdEndS = recorder.NowNs / 1e9 + planned.HoldS;
            if (fault.Plan.Kind == FaultKind.Chase)
            {
                await ChaseAsync(fault, holdEndS, cancellation);
            }
            await WaitUntilAsync(holdEndS, cancellation);
            await HealAsync(CancellationToken.None);
            earliestS = recorder.NowNs / 1e9 + GapSMin;
        }
    }

    /// <summary>
    /// While a chase holds, watches for another node to claim leadership and cuts it off as well.
    /// The observer sees a claim a few ms after it is made and the rules take ~100 ms to apply, so
    /// in containers the claim's first messages usually get out (in the simulator none do).
    /// </summary>
    private async Task ChaseAsync(ResolvedFault chase, double untilS, CancellationToken cancellation)
    {
        while (recorder.NowNs / 1e9 < untilS)
        {
            var claimants = observer.Latest.Where(s => s.Status?.Role == Role.Leader).Select(s => s.Node);
            if (claimants.Select(c => FaultTargets.ChaseSuccessor(chase, c, plan.NodeNames)).FirstOrDefault(n => n is not null) is { } next)
            {
                var applying = System.Diagnostics.Stopwatch.StartNew();
                // Not cancelled halfway, as a fault's start: teardown heals what the history shows.
                await mechanisms.PartitionAsync(next.Grudge!, CancellationToken.None);
                recorder.Record(t => Events.Fault(t, "stop", chase));
                recorder.Record(t => Events.Fault(t, "start", next));
                lock (_lock)
                {
                    _active = next;
                }
                output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s partition {next.Detail} (applied in {applying.ElapsedMilliseconds} ms)");
                return;
            }
            await Task.Delay(5, cancellation);
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
        var healing = System.Diagnostics.Stopwatch.StartNew();
        switch (fault.Plan.Kind)
        {
            case FaultKind.Kill:
                await Task.WhenAll(targets.Select(n => mechanisms.RestartAsync(n, cancellation)));
                break;
            case FaultKind.Pause:
                await Task.WhenAll(targets.Select(n => mechanisms.ResumeAsync(n, cancellation)));
                break;
            case FaultKind.Partition or FaultKind.Chase:
                await mechanisms.HealPartitionAsync(plan.NodeNames, cancellation);
                break;
            case FaultKind.Clock:
                await Task.WhenAll(targets.Select(n => mechanisms.ResetClockAsync(n, cancellation)));
                break;
        }
        recorder.Record(t => Events.Fault(t, "stop", fault));
        output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s healed {fault.Plan.Kind.Name()} (in {healing.ElapsedMilliseconds} ms)");
    }

    /// <summary>Applies the fault; returns it, its detail amended with anything that did not go as planned.</summary>
    private async Task<ResolvedFault> ApplyAsync(ResolvedFault fault, CancellationToken cancellation)
    {
        var targets = fault.Targets;
        switch (fault.Plan.Kind)
        {
            case FaultKind.Kill:
                await Task.WhenAll(targets.Select(n => mechanisms.KillAsync(n, cancellation)));
                return fault;
            case FaultKind.Pause:
                await Task.WhenAll(targets.Select(n => mechanisms.PauseAsync(n, cancellation)));
                return fault;
            case FaultKind.Partition or FaultKind.Chase:
                await mechanisms.PartitionAsync(fault.Grudge!, cancellation);
                return fault;
            default:
                var stepsMs = await Task.WhenAll(targets.Select(n => mechanisms.ChangeClockAsync(n, fault.Plan.Clock!, cancellation)));
                var step = stepsMs.MaxBy(Math.Abs);
                // libfaketime's rate origin can only be estimated; an uncorrected step is recorded, not hidden.
                return Math.Abs(step) > Mechanisms.ClockToleranceMs ? fault with { Detail = $"{fault.Detail}; the clock also stepped {step:+0;-0} ms at the change" } : fault;
        }
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
