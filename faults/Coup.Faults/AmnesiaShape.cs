using Coup.Nodes;

namespace Coup.Faults;

/// <summary>
/// Whether an amnesia has the shape it exists for when it wakes its sleeper, judged the same way in
/// both runtimes from what the observer saw: the sleeper slept in the term just below the one the
/// successor won (so on waking it asks for that very term), nothing of that term can have reached it
/// before the cut was in place, and the restarted voters follow the successor in that term again.
/// On a loaded machine a fault's steps take seconds and elections happen in between, so the shape
/// is not always reached; the wake's record says which, and why not (docs/history.md).
/// </summary>
public sealed record AmnesiaShape
{
    /// <summary>How the detail of the sleeper's wake goes on when the shape was reached.</summary>
    public const string Reached = "woke in shape";
    /// <summary>How the detail of the sleeper's wake goes on when it was not, followed by why not.</summary>
    public const string Missed = "woke out of shape";
    /// <summary>How long the sleeper waits, at most, for the restarted voters to follow the successor again.</summary>
    public static readonly TimeSpan VotersWaitMax = TimeSpan.FromSeconds(10);

    public required string Sleeper { get; init; }
    /// <summary>The sleeper's term as last seen; it was paused, so it still holds it.</summary>
    public required long? SleeperTerm { get; init; }
    /// <summary>The highest term any node was seen in once the cut was in place.</summary>
    public required long TermAtCut { get; init; }
    public required string Successor { get; init; }
    /// <summary>The term the successor claimed.</summary>
    public required long Term { get; init; }
    public required IReadOnlyList<string> Voters { get; init; }

    /// <summary>What an amnesia's step sets out to do, when the successor's claim has just been seen.</summary>
    public static AmnesiaShape Of(ClaimResponse step, long termAtCut, Func<string, NodeStatus?> word)
    {
        var sleeper = step.Wake!.Targets[0];
        var successor = step.Cut.Successor!;
        return new AmnesiaShape
        {
            Sleeper = sleeper,
            SleeperTerm = word(sleeper)?.Term,
            TermAtCut = termAtCut,
            Successor = successor,
            Term = word(successor)?.Term
                ?? throw new InvalidOperationException($"{successor} claimed, but its word is gone"),
            Voters = step.Crash?.Targets ?? [],
        };
    }

    /// <summary>
    /// Once the voters have been restarted: the detail to record with the wake, or null while the
    /// voters have not all come back following the successor and nothing shows they never will.
    /// </summary>
    public string? Judge(Func<string, NodeStatus?> word)
    {
        if (SleeperTerm is not { } slept)
        {
            return $"{Missed}: {Sleeper}'s term was never seen";
        }
        if (slept + 1 != Term)
        {
            return $"{Missed}: {Sleeper} slept in term {slept} and asks for term {slept + 1} on waking, " +
                $"not {Successor}'s term {Term}";
        }
        if (TermAtCut >= Term)
        {
            return $"{Missed}: term {TermAtCut} was seen before the cut was in place, " +
                $"so {Sleeper} may hold messages of term {Term}";
        }
        if (Voters.Prepend(Successor).FirstOrDefault(n => word(n)?.Term > Term) is { } moved)
        {
            return $"{Missed}: {moved} moved on to term {word(moved)!.Term}";
        }
        var successorId = NodeNames.IdOf(Successor);
        return Voters.All(v => word(v) is { Role: Role.Follower } w && w.Term == Term && w.Leader == successorId)
            ? $"{Reached}: {string.Join(",", Voters)} follow {Successor} in term {Term}, " +
                $"which {Sleeper} asks for on waking"
            : null;
    }

    /// <summary>
    /// The detail to record when the voters did not all follow the successor within <see cref="VotersWaitMax"/>.
    /// </summary>
    public string TimedOut(Func<string, NodeStatus?> word) =>
        $"{Missed}: {VotersWaitMax.TotalSeconds:0} s after their restart " +
        $"{string.Join(", ", Voters.Select(v => $"{v} was {Describe(word(v))}"))}, " +
        $"not following {Successor} in term {Term}";

    /// <summary>The detail to record when the fault was healed (the run ended) before its step woke.</summary>
    public string CutShort(Func<string, NodeStatus?> word) =>
        $"{Missed}: healed before the step woke {Sleeper}, with " +
        $"{string.Join(", ", Voters.Select(v => $"{v} {Describe(word(v))}"))}";

    public static string Describe(NodeStatus? status) =>
        status is null ? "unseen"
            : $"{status.Role.ToString().ToLowerInvariant()} in term {status.Term}" +
              (status.Leader is { } l ? $" of {NodeNames.Of(l)}" : "");
}
