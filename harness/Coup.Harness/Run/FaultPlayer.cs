using System.Diagnostics;
using Coup.Faults;
using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>
/// Carries out what the nemesis (<see cref="INemesis"/>: one, or a timeline's tracks at once) decides
/// through a runtime's mechanisms and records it:
/// the one interpreter of faults, for containers and simulator alike. A start is stamped once the
/// mechanism has returned, i.e. when the fault has taken effect; a stop once it is healed.
/// </summary>
public sealed class FaultPlayer(INemesis nemesis, IRuntime runtime, Recorder recorder)
{
    /// <summary>Plays the schedule until it is done; cancelled at the time limit or on Ctrl-C.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        while (true)
        {
            await StepAsync(cancellation);
            if (nemesis.DueNs is null)
            {
                return;
            }
            await runtime.UntilDueAsync(nemesis, cancellation);
        }
    }

    /// <summary>Steps the nemesis now and carries out its actions until it has none.</summary>
    private async Task StepAsync(CancellationToken cancellation)
    {
        while (nemesis.Step(recorder.NowNs, [.. runtime.Latest]) is { Count: > 0 } actions)
        {
            await CarryOutAsync(actions, cancellation);
        }
    }

    /// <summary>Heals every fault in progress; safe to call again, and from teardown.</summary>
    public Task HealAllAsync(CancellationToken cancellation) =>
        CarryOutAsync(nemesis.HealAll([.. runtime.Latest]), cancellation);

    /// <summary>
    /// A part that cannot be applied ends the run at once; a part that cannot be healed stays active
    /// (teardown tries again) and does not keep the others from healing.
    /// </summary>
    private async Task CarryOutAsync(IReadOnlyList<NemesisAction> actions, CancellationToken cancellation)
    {
        var failures = new List<Exception>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case ApplyFault apply:
                    await ApplyAsync(apply.Part);
                    break;
                case ReplaceCut replace:
                    await ReplaceAsync(replace);
                    break;
                case StepClock step:
                    // Not cancelled halfway, like an apply: the heal at the end resets the clock whatever it shows.
                    nemesis.StrobeStepped(
                        step.Part, await runtime.Faults.StepClockAsync(step, CancellationToken.None));
                    break;
                case HealFault heal:
                    try
                    {
                        await HealAsync(heal, cancellation);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failures.Add(e);
                    }
                    break;
            }
        }
        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(
                $"{failures.Count} faults could not be healed: {string.Join("; ", failures.Select(f => f.Message))}",
                failures);
        }
    }

    /// <summary>
    /// Not cancelled halfway: a fault that started is recorded, so teardown heals what the history
    /// shows. A part that failed halfway may have taken effect on some nodes, so its start is
    /// recorded all the same, saying so.
    /// </summary>
    private async Task ApplyAsync(ResolvedFault part)
    {
        var applying = Stopwatch.StartNew();
        ResolvedFault applied;
        try
        {
            applied = await runtime.Faults.ApplyAsync(part, CancellationToken.None);
        }
        catch (Exception e)
        {
            recorder.Record(t => Events.Fault(t, "start", part with
            {
                Detail = $"{part.Detail} (failed to apply: {e.Message})",
            }));
            throw;
        }
        nemesis.Applied(part, applied);
        recorder.Record(t => Events.Fault(t, "start", applied));
        Say($"{applied.Kind.Name()} {applied.Detail} (applied in {applying.ElapsedMilliseconds} ms)");
    }

    private async Task ReplaceAsync(ReplaceCut replace)
    {
        var applying = Stopwatch.StartNew();
        try
        {
            await runtime.Faults.PartitionAsync(replace.Cut.Grudge!, CancellationToken.None);
        }
        catch
        {
            // The old cut is still the one in force, and the one to record a stop for.
            nemesis.Applied(replace.Cut, replace.Replaced);
            throw;
        }
        recorder.Record(t => Events.Fault(t, "stop", replace.Replaced));
        recorder.Record(t => Events.Fault(t, "start", replace.Cut));
        Say($"partition {replace.Cut.Detail} (applied in {applying.ElapsedMilliseconds} ms)");
    }

    private async Task HealAsync(HealFault heal, CancellationToken cancellation)
    {
        var part = heal.Part;
        if (!nemesis.IsActive(part))
        {
            return;
        }
        if (heal.Announcement is { } announcement)
        {
            Say(announcement);
        }
        var healing = Stopwatch.StartNew();
        // A restart waits for the node to answer, seconds on a loaded machine: Ctrl-C cuts it short and
        // teardown restarts it again. The other heals are quick and not cancelled halfway.
        await runtime.Faults.HealAsync(part, part.Kind == FaultKind.Kill ? cancellation : CancellationToken.None);
        if (nemesis.Healed(part))
        {
            recorder.Record(t => Events.Fault(t, "stop", part));
            Say($"healed {part.Kind.Name()} (in {healing.ElapsedMilliseconds} ms)");
        }
    }

    private void Say(string line) => runtime.Progress.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s {line}");
}
