using Coup.Checkers.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// For every fault that took the leader away (the leader at the fault's start is among its
/// targets): the time to the first claim of a higher term, and to a leader of a higher term that
/// a majority acknowledges. Informational: slowness is for the report, not the verdict.
/// </summary>
public sealed class FailoverChecker : IChecker
{
    public string Name => "failover";

    public CheckResult Check(History.History history)
    {
        var failovers = new List<FailoverLatency>();
        foreach (var group in LeadershipTimeline.Groups(history))
        {
            var timeline = new LeadershipTimeline(history.Run.Nodes, group);
            var open = new List<(FaultEvent Fault, StateObserved Old, FailoverLatency Latency)>();
            foreach (var historyEvent in history.Events)
            {
                // The leader at the fault's start is judged before the fault itself is applied to the timeline.
                if (historyEvent is FaultEvent { Phase: "start" } fault && FaultKinds.CanRemoveLeader(fault.Kind)
                    && timeline.BestLeader is { } leader && fault.Targets.Contains(leader.Node))
                {
                    open.Add((fault, leader, new FailoverLatency
                    {
                        FaultKind = fault.Kind,
                        FaultStartNs = fault.TimeNs,
                        Group = group,
                        OldLeader = leader.Node,
                        OldTerm = leader.Term,
                    }));
                }
                if (!timeline.Apply(historyEvent))
                {
                    continue;
                }
                for (var i = 0; i < open.Count; i++)
                {
                    var (f, old, latency) = open[i];
                    if (latency.ToFirstClaimNs is null && historyEvent is StateObserved { IsLeader: true } claim && claim.Group == group && claim.Term > old.Term)
                    {
                        latency = latency with { ToFirstClaimNs = claim.TimeNs - f.TimeNs };
                    }
                    if (timeline.MajorityLeader is { } majority && majority.Term > old.Term)
                    {
                        latency = latency with
                        {
                            ToFirstClaimNs = latency.ToFirstClaimNs ?? majority.TimeNs - f.TimeNs,
                            ToMajorityLeaderNs = historyEvent.TimeNs - f.TimeNs,
                            NewLeader = majority.Node,
                            NewTerm = majority.Term,
                        };
                    }
                    open[i] = (f, old, latency);
                }
                failovers.AddRange(open.Where(o => o.Latency.ToMajorityLeaderNs is not null).Select(o => o.Latency));
                open.RemoveAll(o => o.Latency.ToMajorityLeaderNs is not null);
            }
            failovers.AddRange(open.Select(o => o.Latency));
        }
        failovers.Sort((a, b) => a.FaultStartNs.CompareTo(b.FaultStartNs));
        var figures = new Dictionary<string, double> { ["failovers"] = failovers.Count };
        AddPercentiles(figures, "toFirstClaim", failovers.Select(f => f.ToFirstClaimNs));
        AddPercentiles(figures, "toMajorityLeader", failovers.Select(f => f.ToMajorityLeaderNs));
        var unresolved = failovers.Count(f => f.ToMajorityLeaderNs is null);
        return new CheckResult
        {
            Checker = Name,
            Verdict = Verdict.Valid,
            Summary = failovers.Count == 0 ? "no fault took the leader away"
                : $"{failovers.Count} faults took the leader away; a majority leader followed in p50 {figures.GetValueOrDefault("toMajorityLeaderP50Ms", double.NaN):0} ms, max {figures.GetValueOrDefault("toMajorityLeaderMaxMs", double.NaN):0} ms" +
                  (unresolved > 0 ? $"; {unresolved} never got one before the next change" : ""),
            Failovers = failovers,
            Figures = figures,
        };
    }

    private static void AddPercentiles(Dictionary<string, double> figures, string name, IEnumerable<long?> values)
    {
        var sorted = values.OfType<long>().Select(ns => ns / 1e6).Order().ToList();
        if (sorted.Count == 0)
        {
            return;
        }
        figures[$"{name}P50Ms"] = Percentiles.NearestRank(sorted, 50);
        figures[$"{name}P99Ms"] = Percentiles.NearestRank(sorted, 99);
        figures[$"{name}MaxMs"] = sorted[^1];
    }
}

public static class Percentiles
{
    /// <summary>The nearest-rank percentile of an ascending list.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
