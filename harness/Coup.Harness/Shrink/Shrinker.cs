using Coup.Faults;

namespace Coup.Harness.Shrink;

/// <summary>
/// A run reduced so far: its faults (tracks played at once, as a timeline compiles them), cluster size,
/// clients and time limit. Everything else (algorithm, seed, rates) stays the original run's.
/// </summary>
public sealed record ShrinkCandidate
{
    public required IReadOnlyList<IReadOnlyList<PlannedFault>> Tracks { get; init; }
    public required int Nodes { get; init; }
    public required int Clients { get; init; }
    public required double TimeLimitS { get; init; }

    public int FaultCount => Tracks.Sum(t => t.Count);

    /// <summary>When the last fault heals; 0 without faults.</summary>
    public double LastStopS => Tracks.SelectMany(t => t).Select(f => f.StopS).DefaultIfEmpty(0).Max();

    public override string ToString() =>
        $"{FaultCount} faults, {TimeLimitS:0.#} s, {Nodes} nodes, {Clients} clients";
}

/// <summary>
/// Reduces a failing run to a smaller one that still shows the same anomaly, by trying candidates
/// (<paramref name="reproduces"/> runs one and says whether the anomaly is still there). Passes, repeated
/// until none removes anything or the budget of runs is spent: drop faults (delta debugging: halves,
/// then quarters, ... then single faults), cut the time limit to just after the last fault, fewer
/// nodes, fewer clients. Pure: the runs are the caller's; every accepted step only ever shrinks.
/// </summary>
public sealed class Shrinker(Func<ShrinkCandidate, bool> reproduces, int runsMax, Action<string>? say = null)
{
    /// <summary>Seconds kept after the last fault heals when the time limit is cut.</summary>
    public const double TailS = 1;
    /// <summary>Fewer nodes than this cannot lose a majority to a fault; a shrink stops there.</summary>
    public const int NodesMin = 3;
    /// <summary>Faults moved earlier still start this long after the run does (an election first).</summary>
    public const double SettleS = 2;

    public int Runs { get; private set; }

    /// <summary>Candidates already run, and whether they showed it: a pass never runs one twice.</summary>
    private readonly Dictionary<string, bool> _tried = [];

    public ShrinkCandidate Shrink(ShrinkCandidate original, CancellationToken cancellation)
    {
        var best = original;
        var changed = true;
        while (changed && !Spent(cancellation))
        {
            changed = false;
            foreach (var pass in new Func<ShrinkCandidate, CancellationToken, ShrinkCandidate>[]
                { DropFaults, Earlier, CutTime, FewerNodes, FewerClients })
            {
                var next = pass(best, cancellation);
                changed |= next != best;
                best = next;
            }
        }
        return best;
    }

    private bool Spent(CancellationToken cancellation) => Runs >= runsMax || cancellation.IsCancellationRequested;

    private bool Try(ShrinkCandidate candidate, CancellationToken cancellation)
    {
        var key = Key(candidate);
        if (_tried.TryGetValue(key, out var known))
        {
            return known;
        }
        if (Spent(cancellation))
        {
            return false;
        }
        Runs++;
        var kept = _tried[key] = reproduces(candidate);
        say?.Invoke($"run {Runs}: {candidate}: {(kept ? "still shows it" : "does not")}");
        return kept;
    }

    private static string Key(ShrinkCandidate candidate) =>
        $"{candidate.Nodes}/{candidate.Clients}/{candidate.TimeLimitS}/" + string.Join(";",
            candidate.Tracks.SelectMany(
                (t, track) => t.Select(f => $"{track}@{f.StartS}+{f.HoldS}:{f.Kind}#{f.ChoiceSeed}")));

    /// <summary>
    /// Every fault earlier by the same amount, half the first fault's start and then halves of that, so
    /// the time limit can be cut after them: the cluster keeps at least <see cref="SettleS"/> to elect first.
    /// </summary>
    private ShrinkCandidate Earlier(ShrinkCandidate best, CancellationToken cancellation)
    {
        var firstS = best.Tracks.SelectMany(t => t).Select(f => f.StartS).DefaultIfEmpty(0).Min();
        for (var shiftS = Math.Floor((firstS - SettleS) / 2); shiftS >= 1 && !Spent(cancellation);
            shiftS = Math.Floor(shiftS / 2))
        {
            var by = shiftS;
            var candidate = best with
            {
                Tracks = [.. best.Tracks.Select(t => (IReadOnlyList<PlannedFault>)
                    [.. t.Select(f => f with { StartS = f.StartS - by })])],
            };
            if (Try(candidate, cancellation))
            {
                return candidate;
            }
        }
        return best;
    }

    /// <summary>Delta debugging over every fault of every track: remove chunks, halving their size.</summary>
    private ShrinkCandidate DropFaults(ShrinkCandidate best, CancellationToken cancellation)
    {
        var faults = best.Tracks.SelectMany((t, track) => t.Select(f => (Track: track, Fault: f))).ToList();
        var chunk = Math.Max(1, faults.Count / 2);
        while (faults.Count > 0 && !Spent(cancellation))
        {
            var removedAny = false;
            for (var start = 0; start < faults.Count && !Spent(cancellation);)
            {
                var kept = faults.Take(start).Concat(faults.Skip(start + chunk)).ToList();
                var candidate = best with { Tracks = Regroup(kept, best.Tracks.Count) };
                if (Try(candidate, cancellation))
                {
                    best = candidate;
                    faults = kept;
                    removedAny = true;
                }
                else
                {
                    start += chunk;
                }
            }
            if (!removedAny)
            {
                if (chunk == 1)
                {
                    break;
                }
                chunk = Math.Max(1, Math.Min(chunk / 2, faults.Count / 2));
            }
        }
        return best;
    }

    private static IReadOnlyList<IReadOnlyList<PlannedFault>> Regroup(
        IReadOnlyList<(int Track, PlannedFault Fault)> faults, int tracks) =>
        [.. Enumerable.Range(0, tracks).Select(t => (IReadOnlyList<PlannedFault>)
            [.. faults.Where(f => f.Track == t).Select(f => f.Fault)])];

    /// <summary>
    /// Just after the last fault heals, then halves of what is left above that, while it still shows.
    /// </summary>
    private ShrinkCandidate CutTime(ShrinkCandidate best, CancellationToken cancellation)
    {
        var floorS = Math.Max(Run.OptionLimits.TimeLimitS.Min, Math.Ceiling(best.LastStopS + TailS));
        var limitS = floorS;
        while (limitS < best.TimeLimitS && !Spent(cancellation))
        {
            var candidate = best with { TimeLimitS = limitS };
            if (Try(candidate, cancellation))
            {
                return candidate;
            }
            // Nearer the original each time: the anomaly may need the cluster to settle after the faults.
            limitS = Math.Ceiling(limitS + (best.TimeLimitS - limitS) / 2);
            if (best.TimeLimitS - limitS < 1)
            {
                break;
            }
        }
        return best;
    }

    private ShrinkCandidate FewerNodes(ShrinkCandidate best, CancellationToken cancellation)
    {
        for (var nodes = NodesMin; nodes < best.Nodes && !Spent(cancellation); nodes++)
        {
            if (Try(best with { Nodes = nodes }, cancellation))
            {
                return best with { Nodes = nodes };
            }
        }
        return best;
    }

    private ShrinkCandidate FewerClients(ShrinkCandidate best, CancellationToken cancellation)
    {
        for (var clients = 0; clients < best.Clients && !Spent(cancellation); clients++)
        {
            if (Try(best with { Clients = clients }, cancellation))
            {
                return best with { Clients = clients };
            }
        }
        return best;
    }
}
