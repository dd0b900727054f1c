using Coup.Checkers.History;

namespace Coup.Checkers;

/// <summary>
/// Replays a history's state events, per group, to answer: what does each node currently say,
/// who claims to lead, and is there a leader that a majority acknowledges? A node killed by a
/// kill fault says nothing until it reports again; a paused node keeps its last word.
/// </summary>
public sealed class LeadershipTimeline
{
    private readonly Dictionary<string, StateObserved> _current = [];

    public LeadershipTimeline(IReadOnlyList<string> nodes, string group)
    {
        Nodes = nodes;
        Group = group;
    }

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
            case FaultEvent { Phase: "start", Kind: FaultKinds.Kill } kill:
                return kill.Targets.Aggregate(false, (changed, node) => _current.Remove(node) || changed);
            default:
                return false;
        }
    }

    public StateObserved? CurrentOf(string node) => _current.GetValueOrDefault(node);

    /// <summary>Every node that currently claims to lead this group.</summary>
    public IEnumerable<StateObserved> Claims => _current.Values.Where(s => s.IsLeader);

    /// <summary>A leader that claims leadership in term T while a quorum (itself included) reports it as leader of T.</summary>
    public StateObserved? MajorityLeader =>
        Claims.Where(claim => _current.Values.Count(s => s.Leader == claim.Node && s.Term == claim.Term) >= Quorum)
            .MaxBy(claim => claim.Term);

    /// <summary>The majority leader if there is one, else the claim with the highest term.</summary>
    public StateObserved? BestLeader => MajorityLeader ?? Claims.MaxBy(c => c.Term);

    /// <summary>Every group any state event names, "default" first.</summary>
    public static IReadOnlyList<string> Groups(History.History history) =>
        [.. history.States.Select(s => s.Group).Append("default").Distinct().OrderBy(g => g == "default" ? 0 : 1).ThenBy(g => g, StringComparer.Ordinal)];

    /// <summary>
    /// Replays the history, yielding each instant at which some node's word changed, with the
    /// majority leader (or null) right after it.
    /// </summary>
    public static IEnumerable<(long TimeNs, StateObserved? Leader)> MajorityLeaderOverTime(History.History history, string group)
    {
        var timeline = new LeadershipTimeline(history.Run.Nodes, group);
        foreach (var historyEvent in history.Events)
        {
            if (timeline.Apply(historyEvent))
            {
                yield return (historyEvent.TimeNs, timeline.MajorityLeader);
            }
        }
    }
}
