namespace Coup.Faults.Timelines;

/// <summary>What a fault changes on the nodes, as <see cref="IFaultMechanisms"/> applies it.</summary>
[Flags]
public enum Mechanism
{
    None = 0,
    /// <summary>The cut in force (iptables in each node); one at a time, and a heal lifts every cut.</summary>
    Links = 1,
    /// <summary>The packet shaping in force; one at a time, and a heal clears it all.</summary>
    Packets = 2,
    /// <summary>A node's clock (libfaketime's file), set back to true time by a heal.</summary>
    Clock = 4,
    Kill = 8,
    Pause = 16,
}

/// <summary>
/// Which tracks may run at once: the one rule, for timelines' parallel tracks. Tracks are kept apart by
/// what they change, not by when: in containers a fault is held for its length from when it took effect,
/// so a track runs late by the time its mechanisms take, and two tracks planned apart may meet.
/// </summary>
public static class TrackMechanisms
{
    private const Mechanism Processes = Mechanism.Kill | Mechanism.Pause;

    public static Mechanism Of(FaultKind kind) => kind switch
    {
        FaultKind.Kill => Mechanism.Kill,
        FaultKind.Pause => Mechanism.Pause,
        FaultKind.Partition or FaultKind.Chase => Mechanism.Links,
        // Pauses a follower under a cut, then crash-restarts the successor's voters.
        FaultKind.Amnesia => Mechanism.Links | Mechanism.Pause | Mechanism.Kill,
        FaultKind.Clock => Mechanism.Clock,
        _ => Mechanism.Packets,
    };

    /// <summary>
    /// Why a track using <paramref name="one"/> cannot run beside a track using <paramref name="other"/>,
    /// or null when it can (a pause beside a cut can: the cut is changed inside the paused node's
    /// namespace, as amnesia does).
    /// </summary>
    public static string? Refusal(Mechanism one, Mechanism other)
    {
        bool Both(Mechanism m) => one.HasFlag(m) && other.HasFlag(m);
        bool Across(Mechanism a, Mechanism b) =>
            (one & a) != 0 && (other & b) != 0 || (one & b) != 0 && (other & a) != 0;
        return Both(Mechanism.Links)
                ? "both cut links (partition, chase, amnesia): the nodes hold one cut at a time, a new one " +
                    "replaces the cut in force and a heal lifts every cut"
            : Both(Mechanism.Packets)
                ? "both shape packets: one shaping is in force at a time, a new one replaces it and a heal clears all"
            : Both(Mechanism.Clock)
                ? "both change clocks: a heal sets a node's clock back to true time, undoing the other's change"
            : (one & Processes) != 0 && (other & Processes) != 0
                ? "both kill or pause nodes: a killed node cannot be paused or resumed, and a kill ends a pause"
            : Across(Mechanism.Kill, Mechanism.Links | Mechanism.Packets | Mechanism.Clock)
                ? "a kill beside cuts, packet shaping or clock changes: those are applied and lifted inside every " +
                    "node (rules, node host, clock reading), which a killed node is not up to take"
            : Across(Mechanism.Pause, Mechanism.Packets | Mechanism.Clock)
                ? "a pause beside packet shaping or clock changes: the node host takes packet rules and a clock " +
                    "change waits for the node's reading, which a paused node does not answer"
            : null;
    }
}
