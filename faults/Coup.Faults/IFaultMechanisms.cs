namespace Coup.Faults;

/// <summary>
/// How a runtime applies faults and heals them: the containers (SIGKILL, the cgroup freezer,
/// iptables, libfaketime, packet shaping) or the simulator. Everything else about a fault, what to do and when,
/// is decided once, by <see cref="Nemesis"/>, and carried out by <see cref="FaultMechanisms"/>.
/// A fault that cannot be applied throws; it is never a silent no-op.
/// </summary>
public interface IFaultMechanisms
{
    Task KillAsync(IReadOnlyList<string> nodes, CancellationToken cancellation);

    /// <summary>Starts killed nodes again, under the cut in force if any, and returns once they answer.</summary>
    Task RestartAsync(IReadOnlyList<string> nodes, CancellationToken cancellation);

    Task PauseAsync(IReadOnlyList<string> nodes, CancellationToken cancellation);

    Task ResumeAsync(IReadOnlyList<string> nodes, CancellationToken cancellation);

    /// <summary>Puts the grudge in place of any cut in force, in one change.</summary>
    Task PartitionAsync(Grudge grudge, CancellationToken cancellation);

    Task HealPartitionAsync(CancellationToken cancellation);

    /// <returns>The largest unplanned step (ms) the change caused on any node, 0 when none.</returns>
    Task<double> ChangeClockAsync(IReadOnlyList<string> nodes, ClockChange change, CancellationToken cancellation);

    Task ResetClockAsync(IReadOnlyList<string> nodes, CancellationToken cancellation);

    /// <summary>Puts the shape on the links in place of any shaping in force.</summary>
    Task ShapePacketsAsync(PacketShaping shaping, CancellationToken cancellation);

    /// <summary>Takes every packet shaping off.</summary>
    Task ClearPacketsAsync(CancellationToken cancellation);
}

/// <summary>The one place that maps a fault's kind to the mechanisms that apply and heal it.</summary>
public static class FaultMechanisms
{
    /// <summary>Applies the part; returns it, its detail amended with anything that did not go as planned.</summary>
    public static async Task<ResolvedFault> ApplyAsync(
        this IFaultMechanisms mechanisms, ResolvedFault part, CancellationToken cancellation)
    {
        switch (part.Kind)
        {
            case FaultKind.Kill:
                await mechanisms.KillAsync(part.Targets, cancellation);
                return part;
            case FaultKind.Pause:
                await mechanisms.PauseAsync(part.Targets, cancellation);
                return part;
            case FaultKind.Partition:
                await mechanisms.PartitionAsync(part.Grudge!, cancellation);
                return part;
            case FaultKind.Packet:
                await mechanisms.ShapePacketsAsync(part.Packets!, cancellation);
                return part;
            case FaultKind.Clock:
                var stepMs = await mechanisms.ChangeClockAsync(part.Targets, part.Plan.Clock!, cancellation);
                // libfaketime's rate origin can only be estimated; an uncorrected step is recorded, not hidden.
                return stepMs == 0 ? part
                    : part with { Detail = $"{part.Detail}; the clock also stepped {stepMs:+0;-0} ms at the change" };
            default:
                throw new InvalidOperationException($"{part.Kind.Name()} is applied through its parts, not as one");
        }
    }

    /// <summary>
    /// Steps a strobe's clock: forward by its jump on an even step, back to true time on an odd one.
    /// </summary>
    /// <returns>The largest unplanned step (ms), as <see cref="IFaultMechanisms.ChangeClockAsync"/>.</returns>
    public static async Task<double> StepClockAsync(
        this IFaultMechanisms mechanisms, StepClock step, CancellationToken cancellation)
    {
        if (ClockStrobe.IsForward(step.Step))
        {
            return await mechanisms.ChangeClockAsync(step.Part.Targets, step.Part.Plan.Clock!, cancellation);
        }
        await mechanisms.ResetClockAsync(step.Part.Targets, cancellation);
        return 0;
    }

    public static Task HealAsync(
        this IFaultMechanisms mechanisms, ResolvedFault part, CancellationToken cancellation) =>
        part.Kind switch
        {
            FaultKind.Kill => mechanisms.RestartAsync(part.Targets, cancellation),
            FaultKind.Pause => mechanisms.ResumeAsync(part.Targets, cancellation),
            FaultKind.Partition => mechanisms.HealPartitionAsync(cancellation),
            FaultKind.Clock => mechanisms.ResetClockAsync(part.Targets, cancellation),
            FaultKind.Packet => mechanisms.ClearPacketsAsync(cancellation),
            _ => throw new InvalidOperationException($"{part.Kind.Name()} is healed through its parts, not as one"),
        };
}
