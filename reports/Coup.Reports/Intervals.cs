using Coup.Checkers;
using Coup.History;

namespace Coup.Reports;

/// <summary>A stretch of a node's life in one role and term, in seconds since the run started.</summary>
public sealed record RoleInterval(string Node, string Role, long Term, double StartS, double EndS);

/// <summary>A fault from its start to its stop (or the end of the run).</summary>
public sealed record FaultInterval(
    string Kind, IReadOnlyList<string> Targets, string Detail, double StartS, double EndS);

/// <summary>Turns the history's events into intervals for the plots and tables.</summary>
public static class Intervals
{
    public static double Seconds(long ns) => ns / 1e9;

    /// <summary>
    /// The x range of every plot: the whole run, and at least a second so an empty run still has an axis.
    /// </summary>
    public static double PlotSpanS(RunHistory history) => Math.Max(Seconds(history.EndNs), 1);

    /// <summary>
    /// The group the timeline shows: <c>default</c> when any node reported in it, else the first group named.
    /// </summary>
    public static string MainGroup(RunHistory history) =>
        history.States.Any(s => s.Group == "default")
            ? "default"
            : history.States.Select(s => s.Group).Order(StringComparer.Ordinal).FirstOrDefault() ?? "default";

    /// <summary>
    /// The run's nodes, then any node that reported without being listed, so no state is drawn in the wrong lane.
    /// </summary>
    public static IReadOnlyList<string> Nodes(RunHistory history) =>
        [.. history.Run.Nodes.Concat(history.States.Select(s => s.Node)).Distinct()];

    /// <summary>
    /// Each node's roles over time in one group. A kill that targets a node ends its interval (the
    /// process is gone); its next report starts a new one. A paused node keeps its last word.
    /// </summary>
    public static IReadOnlyList<RoleInterval> Roles(RunHistory history, string group)
    {
        var intervals = new List<RoleInterval>();
        var open = new Dictionary<string, StateObserved>();
        void Close(string node, long endNs)
        {
            if (open.Remove(node, out var state) && endNs > state.TimeNs)
            {
                intervals.Add(new RoleInterval(node, state.Role, state.Term, Seconds(state.TimeNs), Seconds(endNs)));
            }
        }
        foreach (var historyEvent in history.Events)
        {
            switch (historyEvent)
            {
                case StateObserved state when state.Group == group:
                    if (open.TryGetValue(state.Node, out var previous)
                        && previous.Role == state.Role
                        && previous.Term == state.Term)
                    {
                        continue;
                    }
                    Close(state.Node, state.TimeNs);
                    open[state.Node] = state;
                    break;
                case FaultEvent { Phase: "start", Kind: FaultKinds.Kill } kill:
                    foreach (var node in kill.Targets)
                    {
                        Close(node, kill.TimeNs);
                    }
                    break;
            }
        }
        foreach (var node in open.Keys.ToList())
        {
            Close(node, history.EndNs);
        }
        return intervals;
    }

    /// <summary>
    /// Each fault from its start to its stop, paired as the reader pairs them (<see cref="RunHistory.FaultSpans"/>);
    /// a fault never stopped lasts to the end of the history.
    /// </summary>
    public static IReadOnlyList<FaultInterval> Faults(RunHistory history) =>
    [
        .. history.FaultSpans.Select(s => new FaultInterval(
            s.Start.Kind,
            s.Start.Targets,
            s.Start.Detail,
            Seconds(s.Start.TimeNs),
            Seconds(s.Stop?.TimeNs ?? history.EndNs))),
    ];

    /// <summary>When a leader that a majority acknowledges existed in a group, as [start, end) in seconds.</summary>
    public static IReadOnlyList<(double StartS, double EndS)> MajorityLeader(RunHistory history, string group)
    {
        var spans = new List<(double, double)>();
        double? since = null;
        foreach (var (timeNs, leader) in LeadershipTimeline.MajorityLeaderOverTime(history, group))
        {
            if (leader is not null && since is null)
            {
                since = Seconds(timeNs);
            }
            else if (leader is null && since is { } start)
            {
                spans.Add((start, Seconds(timeNs)));
                since = null;
            }
        }
        if (since is { } open)
        {
            spans.Add((open, Seconds(history.EndNs)));
        }
        return spans;
    }
}
