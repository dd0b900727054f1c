using Coup.Nodes;

namespace Coup.Faults;

/// <summary>
/// What a fault player plays: one <see cref="Nemesis"/>, or several at once (<see cref="NemesisTracks"/>).
/// </summary>
public interface INemesis
{
    /// <summary>When it must be stepped next, whatever the nodes say; null once it is done.</summary>
    long? DueNs { get; }

    /// <summary>Whether a node's new word can call for a step.</summary>
    bool WatchesObservations { get; }

    /// <summary>
    /// The next actions at <paramref name="nowNs"/>; the player steps again until none are returned.
    /// </summary>
    IReadOnlyList<NemesisAction> Step(long nowNs, IReadOnlyList<(string Node, NodeStatus? Status)> latest);

    /// <summary>Ends the schedule and heals whatever is active.</summary>
    IReadOnlyList<NemesisAction> HealAll(IReadOnlyList<(string Node, NodeStatus? Status)> latest);

    bool IsActive(ResolvedFault part);

    /// <summary>The part as it took effect.</summary>
    void Applied(ResolvedFault part, ResolvedFault applied);

    /// <summary>A strobe's step on <paramref name="part"/> is done.</summary>
    void StrobeStepped(ResolvedFault part, double unplannedMs);

    /// <summary>The part is healed; false when it was not active.</summary>
    bool Healed(ResolvedFault part);
}

/// <summary>
/// Several nemeses played as one, each on its own sequential track (a timeline's parallel tracks): due
/// when the first is due, stepped track by track, every call about a part routed to the track that owns
/// it. The tracks were checked not to touch the same mechanisms (Timelines.TrackMechanisms).
/// </summary>
public sealed class NemesisTracks(IReadOnlyList<Nemesis> tracks) : INemesis
{
    public long? DueNs => tracks.Select(t => t.DueNs).Where(d => d is not null).Min();

    public bool WatchesObservations => tracks.Any(t => t.WatchesObservations);

    /// <summary>The first track with something to do; the player steps again, and the next one's turn comes.</summary>
    public IReadOnlyList<NemesisAction> Step(long nowNs, IReadOnlyList<(string Node, NodeStatus? Status)> latest) =>
        tracks.Select(t => t.Step(nowNs, latest)).FirstOrDefault(a => a.Count > 0) ?? [];

    /// <summary>Every track's heals, killed nodes first across tracks (a cut is flushed with every node up).</summary>
    public IReadOnlyList<NemesisAction> HealAll(IReadOnlyList<(string Node, NodeStatus? Status)> latest) =>
        [.. tracks.SelectMany(t => t.HealAll(latest))
            .OrderBy(a => a is not HealFault { Part.Kind: FaultKind.Kill })];

    public bool IsActive(ResolvedFault part) => tracks.Any(t => t.IsActive(part));

    public void Applied(ResolvedFault part, ResolvedFault applied) => Owner(part)?.Applied(part, applied);

    public void StrobeStepped(ResolvedFault part, double unplannedMs) => Owner(part)?.StrobeStepped(part, unplannedMs);

    public bool Healed(ResolvedFault part) => Owner(part)?.Healed(part) ?? false;

    private Nemesis? Owner(ResolvedFault part) => tracks.FirstOrDefault(t => t.IsActive(part));
}
