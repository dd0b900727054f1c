using System.Diagnostics;
using Coup.Faults;
using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>
/// Carries out what the <see cref="Nemesis"/> decides through a runtime's mechanisms and records it:
/// the one interpreter of faults, for containers and simulator alike. A start is stamped once the
/// mechanism has returned, i.e. when the fault has taken effect; a stop once it is healed.
/// </summary>
/// <param name="observe">The latest word of every node, as the runtime's observer has it.</param>
/// <param name="output">Where a line per fault applied and healed goes (the simulator's is null).</param>
public sealed class FaultPlayer(
    Nemesis nemesis,
    IFaultMechanisms mechanisms,
    Recorder recorder,
    Func<IReadOnlyList<(string Node, NodeStatus? Status)>> observe,
    TextWriter output)
{
    /// <summary>
    /// How often a real-time run looks for a claim while a chase or an amnesia follows them. The
    /// observer sees a claim a few ms after it is made and the rules take ~100 ms to apply, so in
    /// containers the claim's first messages usually get out (in the simulator none do).
    /// </summary>
    public const int ClaimPollMs = 5;

    /// <summary>Plays the schedule in real time until it is done; cancelled at the time limit or on Ctrl-C.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        while (true)
        {
            await StepAsync(cancellation);
            if (nemesis.DueNs is not { } dueNs)
            {
                return;
            }
            var waitNs = dueNs - recorder.NowNs;
            if (nemesis.WatchesObservations)
            {
                waitNs = Math.Min(waitNs, ClaimPollMs * 1_000_000L);
            }
            if (waitNs > 0)
            {
                await Task.Delay(TimeSpan.FromTicks(waitNs / 100), cancellation);
            }
        }
    }

    /// <summary>Steps the nemesis now and carries out its actions until it has none.</summary>
    public async Task StepAsync(CancellationToken cancellation)
    {
        while (nemesis.Step(recorder.NowNs, observe()) is { Count: > 0 } actions)
        {
            await CarryOutAsync(actions, cancellation);
        }
    }

    /// <summary>Heals every fault in progress; safe to call again, and from teardown.</summary>
    public Task HealAllAsync(CancellationToken cancellation) =>
        CarryOutAsync(nemesis.HealAll(observe()), cancellation);

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
            applied = await mechanisms.ApplyAsync(part, CancellationToken.None);
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
            await mechanisms.PartitionAsync(replace.Cut.Grudge!, CancellationToken.None);
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
        await mechanisms.HealAsync(part, part.Kind == FaultKind.Kill ? cancellation : CancellationToken.None);
        if (nemesis.Healed(part))
        {
            recorder.Record(t => Events.Fault(t, "stop", part));
            Say($"healed {part.Kind.Name()} (in {healing.ElapsedMilliseconds} ms)");
        }
    }

    private void Say(string line) => output.WriteLine($"{recorder.NowNs / 1e9,7:0.0}s {line}");
}
