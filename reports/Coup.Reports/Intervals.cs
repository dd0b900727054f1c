using Coup.Checkers.History;

namespace Coup.Reports;

/// <summary>A stretch of a node's life in one role and term, in seconds since the run started.</summary>
public sealed record RoleInterval(string Node, string Role, long Term, double StartS, double EndS);

/// <summary>A fault from its start to its stop (or the end of the run).</summary>
public sealed record FaultInterval(string Kind, IReadOnlyList<string> Targets, string Detail, double StartS, double EndS);

/// <summary>Turns the history's events into intervals for the plots and tables.</summary>
public static class Intervals
{
    public static double Seconds(long ns) => ns / 1e9;

    /// <summary>Each node's roles over time (default group); a kill ends the interval, the next report starts one.</summary>
    public static IReadOnlyList<RoleInterval> Roles(History history)
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
                case StateObserved { Group: "default" } state:
                    if (open.TryGetValue(state.Node, out var previous) && previous.Role == state.Role && previous.Term == state.Term)
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

    public static IReadOnlyList<FaultInterval> Faults(History history)
    {
        var intervals = new List<FaultInterval>();
        var started = new List<FaultEvent>();
        foreach (var fault in history.Faults)
        {
            if (fault.Phase == "start")
            {
                started.Add(fault);
                continue;
            }
            var start = started.FirstOrDefault(s => s.Kind == fault.Kind && s.Targets.SequenceEqual(fault.Targets));
            if (start is not null)
            {
                started.Remove(start);
                intervals.Add(new FaultInterval(start.Kind, start.Targets, start.Detail, Seconds(start.TimeNs), Seconds(fault.TimeNs)));
            }
        }
        intervals.AddRange(started.Select(s => new FaultInterval(s.Kind, s.Targets, s.Detail, Seconds(s.TimeNs), Seconds(history.EndNs))));
        return [.. intervals.OrderBy(i => i.StartS)];
    }
}
