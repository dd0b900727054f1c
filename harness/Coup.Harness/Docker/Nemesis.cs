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
    /// <summary>How long a chase's or amnesia's last cut holds at least after its step.</summary>
    public const double HoldAfterStepSMin = 1;

    private readonly List<ResolvedFault> _active = [];
    /// <summary>
    /// An amnesia's sleeper while its step restarts the voters and waits for them, and what the step set out to do.
    /// </summary>
    private (ResolvedFault Sleep, AmnesiaShape Shape)? _sleeping;
    private readonly Lock _lock = new();

    public async Task RunAsync(CancellationToken cancellation)
    {
        var earliestS = 0.0;
        foreach (var planned in plan.Schedule())
        {
            // A slow heal (a restarted node booting) delays the schedule rather than shortening the next fault.
            await WaitUntilAsync(Math.Max(planned.StartS, earliestS), cancellation);
            foreach (var part in FaultTargets.Resolve(planned, plan.NodeNames, Events.CurrentLeader(observer.Latest)))
            {
                // Not cancelled halfway: a fault that started is recorded, so teardown heals what the history shows.
                await StartAsync(part);
            }
            // What can have reached a paused sleeper before its cut was in place (AmnesiaShape).
            var termAtCut = observer.Latest.Max(s => s.Status?.Term ?? 0);
            var holdEndS = recorder.NowNs / 1e9 + planned.HoldS;
            if (planned.Kind is FaultKind.Chase or FaultKind.Amnesia
                && await FollowClaimAsync(holdEndS, termAtCut, cancellation) is { Crash: not null })
            {
                // An amnesia's restarts can outlast the hold: what they set up is given time to happen.
                holdEndS = Math.Max(holdEndS, recorder.NowNs / 1e9 + HoldAfterStepSMin);
            }
            await WaitUntilAsync(holdEndS, cancellation);
            await HealAsync(CancellationToken.None);
            earliestS = recorder.NowNs / 1e9 + GapSMin;
        }
    }

    /// <summary>
    /// Applies one part and records its start. A part that failed halfway may have taken effect on
    /// some nodes, so its start is recorded all the same (saying so) and teardown heals it.
    /// </summary>
    private async Task StartAsync(ResolvedFault part)
    {
        lock (_lock)
        {
            _active.Add(part);
        }
        var applying = System.Diagnostics.Stopwatch.StartNew();
        ResolvedFault applied;
        try
        {
            applied = await ApplyAsync(part, CancellationToken.None);
        }
        catch (Exception e)
        {
            recorder.Record(t => Events.Fault(t, "start", part with { Detail = $"{part.Detail} (failed to apply: {e.Message})" }));
            throw;
        }
        lock (_lock)
        {
            _active[_active.IndexOf(part)] = applied;
        }
        recorder.Record(t => Events.Fault(t, "start", applied));
        output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s {applied.Kind.Name()} {applied.Detail} (applied in {applying.ElapsedMilliseconds} ms)");
    }

    /// <summary>
    /// While a chase or an amnesia holds, watches for another node to claim leadership and takes
    /// the fault's step (<see cref="FaultTargets.OnClaim"/>). The observer sees a claim a few ms
    /// after it is made and the rules take ~100 ms to apply, so in containers the claim's first
    /// messages usually get out (in the simulator none do).
    /// </summary>
    private async Task<ClaimResponse?> FollowClaimAsync(double untilS, long termAtCut, CancellationToken cancellation)
    {
        while (recorder.NowNs / 1e9 < untilS)
        {
            var claimants = observer.Latest.Where(s => s.Status?.Role == Role.Leader).Select(s => s.Node);
            List<ResolvedFault> active;
            lock (_lock)
            {
                active = [.. _active];
            }
            if (claimants.Select(c => FaultTargets.OnClaim(active, c, plan.NodeNames)).FirstOrDefault(r => r is not null) is { } response)
            {
                await TakeStepAsync(response, termAtCut, cancellation);
                return response;
            }
            await Task.Delay(5, cancellation);
        }
        return null;
    }

    /// <summary>
    /// Replaces the cut, then (amnesia) kills the claimant's voters, restarts them (healing a kill
    /// restores the cut on them), waits for them to follow the claimant again (a restart takes 1 s
    /// on an idle machine and 15 s on a loaded one) and wakes the sleeper, recording whether the
    /// fault reached its shape (<see cref="AmnesiaShape"/>).
    /// </summary>
    /// <remarks>
    /// The change of cut and the kill are not cancelled halfway (teardown heals what the history
    /// shows); the restart and the wait after it are, and teardown then restarts and resumes.
    /// </remarks>
    private async Task TakeStepAsync(ClaimResponse response, long termAtCut, CancellationToken cancellation)
    {
        var shape = response.Wake is null ? null : AmnesiaShape.Of(response, termAtCut, WordOf);
        var applying = System.Diagnostics.Stopwatch.StartNew();
        await mechanisms.PartitionAsync(response.Cut.Grudge!, CancellationToken.None);
        lock (_lock)
        {
            _active[_active.IndexOf(response.Replaced)] = response.Cut;
        }
        recorder.Record(t => Events.Fault(t, "stop", response.Replaced));
        recorder.Record(t => Events.Fault(t, "start", response.Cut));
        output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s partition {response.Cut.Detail} (applied in {applying.ElapsedMilliseconds} ms)");
        if (response.Crash is not { } crash)
        {
            return;
        }
        lock (_lock)
        {
            _sleeping = (response.Wake!, shape!);
        }
        await StartAsync(crash);
        await HealAsync(crash, cancellation);
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        string? judgement;
        while ((judgement = shape!.Judge(WordOf)) is null && waiting.Elapsed < AmnesiaShape.VotersWaitMax)
        {
            await Task.Delay(5, cancellation);
        }
        judgement ??= shape.TimedOut(WordOf);
        var wake = response.Wake! with { Detail = $"{response.Wake.Detail}; {judgement}" };
        lock (_lock)
        {
            _sleeping = null;
            _active[_active.IndexOf(response.Wake)] = wake;
        }
        output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s waking {string.Join(",", wake.Targets)}: {judgement}");
        await HealAsync(wake, cancellation);
    }

    private NodeStatus? WordOf(string node) => observer.Latest.FirstOrDefault(s => s.Node == node).Status;

    private ResolvedFault? ActivePart(FaultKind kind)
    {
        lock (_lock)
        {
            return _active.FirstOrDefault(f => f.Kind == kind);
        }
    }

    /// <summary>Records that a part of the fault has been healed.</summary>
    private void Stop(ResolvedFault part)
    {
        lock (_lock)
        {
            if (!_active.Remove(part))
            {
                return;
            }
        }
        recorder.Record(t => Events.Fault(t, "stop", part));
    }

    /// <summary>Heals the faults in progress, if any; safe to call again, and from teardown.</summary>
    public async Task HealAsync(CancellationToken cancellation)
    {
        List<ResolvedFault> active;
        lock (_lock)
        {
            // A step cut short by the end of the run (its restarts take seconds under load) says so
            // when its sleeper wakes.
            if (_sleeping is { } sleeping && _active.IndexOf(sleeping.Sleep) is var at and >= 0)
            {
                var why = sleeping.Shape.CutShort(WordOf);
                _active[at] = sleeping.Sleep with { Detail = $"{sleeping.Sleep.Detail}; {why}" };
            }
            _sleeping = null;
            active = [.. _active];
        }
        // Killed nodes first: flushing a partition's rules needs every node running. A part that
        // cannot be healed stays active (teardown tries again) and does not keep the others from healing.
        var failures = new List<Exception>();
        foreach (var fault in active.OrderBy(f => f.Kind != FaultKind.Kill))
        {
            try
            {
                await HealAsync(fault, cancellation);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(e);
            }
        }
        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException($"{failures.Count} faults could not be healed: {string.Join("; ", failures.Select(f => f.Message))}", failures);
        }
    }

    private async Task HealAsync(ResolvedFault fault, CancellationToken cancellation)
    {
        lock (_lock)
        {
            if (!_active.Contains(fault))
            {
                return;
            }
        }
        var targets = fault.Targets;
        var healing = System.Diagnostics.Stopwatch.StartNew();
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                await Task.WhenAll(targets.Select(n => mechanisms.RestartAsync(n, cancellation)));
                // A restarted node has a new network namespace, without the rules of a cut still in force.
                if (ActivePart(FaultKind.Partition) is { Grudge: { } cut })
                {
                    await mechanisms.PartitionAsync(cut, cancellation, only: targets);
                }
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
        Stop(fault);
        output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s healed {fault.Kind.Name()} (in {healing.ElapsedMilliseconds} ms)");
    }

    /// <summary>Applies the fault; returns it, its detail amended with anything that did not go as planned.</summary>
    private async Task<ResolvedFault> ApplyAsync(ResolvedFault fault, CancellationToken cancellation)
    {
        var targets = fault.Targets;
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                await Task.WhenAll(targets.Select(n => mechanisms.KillAsync(n, cancellation)));
                return fault;
            case FaultKind.Pause:
                await Task.WhenAll(targets.Select(n => mechanisms.PauseAsync(n, cancellation)));
                return fault;
            case FaultKind.Partition:
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
