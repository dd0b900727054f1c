using Coup.History;

namespace Coup.Checkers;

/// <summary>
/// Replays a history's state events for one group to answer: what does each node currently say,
/// who claims to lead, and is there a leader that a majority acknowledges? A node killed by a
/// kill fault says nothing until it reports again; a paused node keeps its last word, as a
/// paused leader still believes it leads.
/// </summary>
public sealed class LeadershipTimeline
{
    private readonly Dictionary<string, StateObserved> _current = [];
    private readonly bool _exclusiveGroups;

    /// <param name="exclusiveGroups">Whether a node's word in another group ends its word in this one (see
    /// <see cref="RunStarted.ExclusiveGroups"/>).</param>
    public LeadershipTimeline(IReadOnlyList<string> nodes, string group, bool exclusiveGroups = true)
    {
        Nodes = nodes;
        Group = group;
        _exclusiveGroups = exclusiveGroups;
    }

    /// <summary>A timeline of <paramref name="group"/> for the nodes and group rule of
    /// <paramref name="run"/>.</summary>
    public static LeadershipTimeline For(RunStarted run, string group) =>
        new(run.Nodes, group, run.GroupsAreExclusive);

    public IReadOnlyList<string> Nodes { get; }
    public string Group { get; }
    public int Quorum => Nodes.Count / 2 + 1;

    /// <summary>Applies one event; returns true when it changed what some node says.</summary>
    public bool Apply(HistoryEvent historyEvent)
    {
        switch (historyEvent)
        {
            case StateObserved state when state.Group == Group:
                _current[state.Node] = state;
                return true;
            case StateObserved state when _exclusiveGroups:
                // A node speaks for one group at a time (invitation merges move it between groups):
                // its word in another group ends its word in this one.
                return _current.Remove(state.Node);
            case FaultEvent { Phase: "start", Kind: FaultKinds.Kill } kill:
                return kill.Targets.Aggregate(false, (changed, node) => _current.Remove(node) || changed);
            default:
                return false;
        }
    }

    /// <summary>Every node that currently claims to lead this group.</summary>
    public IEnumerable<StateObserved> Claims => _current.Values.Where(s => s.IsLeader);

    /// <summary>
    /// The claim of term T whose node a quorum reports as leader of T: itself (whatever its
    /// <c>leader</c> field says) and nodes whose latest word is (that leader, T). If stale reports
    /// let two claims qualify, the higher term wins.
    /// </summary>
    public StateObserved? MajorityLeader =>
        Claims.Where(claim =>
                1 + _current.Values.Count(s => s.Node != claim.Node && s.Leader == claim.Node && s.Term == claim.Term)
                >= Quorum)
            .MaxBy(claim => claim.Term);

    /// <summary>The majority leader if there is one, else the claim with the highest term.</summary>
    public StateObserved? BestLeader => MajorityLeader ?? Claims.MaxBy(c => c.Term);

    /// <summary>The groups the history's state events name, in order of first appearance; "default" if none.</summary>
    public static IReadOnlyList<string> Groups(RunHistory history)
    {
        var groups = history.States.Select(s => s.Group).Distinct().ToList();
        return groups.Count == 0 ? ["default"] : groups;
    }

    /// <summary>
    /// What holds after each instant at which some node's word in <paramref name="group"/> changed
    /// (<see cref="LeadershipReplay"/>).
    /// </summary>
    public static IReadOnlyList<LeadershipInstant> Replay(RunHistory history, string group)
    {
        var instants = new List<LeadershipInstant>();
        var replay = new LeadershipReplay(history.Run, (g, instant) =>
        {
            if (g == group)
            {
                instants.Add(instant);
            }
        });
        foreach (var historyEvent in history.Events.Skip(1))
        {
            replay.Observe(historyEvent);
        }
        replay.Finish();
        return instants;
    }

    /// <summary>The majority leader (or null) after each instant of <see cref="Replay"/>, as the report's availability
    /// plot needs it.</summary>
    public static IEnumerable<(long TimeNs, StateObserved? Leader)> MajorityLeaderOverTime(
        RunHistory history, string group) =>
        Replay(history, group).Select(instant => (instant.TimeNs, instant.MajorityLeader));
}

/// <summary>One group's leadership right after an instant: every standing claim and the majority leader, if
/// any.</summary>
public sealed record LeadershipInstant(
    long TimeNs, IReadOnlyList<StateObserved> Claims, StateObserved? MajorityLeader);
