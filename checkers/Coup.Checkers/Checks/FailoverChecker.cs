using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// For every fault that took the leader away (the leader when the fault started is among its
/// targets): the time to the first claim of a higher term, and to a leader of a higher term that
/// a majority acknowledges. Informational: slowness is for the report, not the verdict, which is
/// valid or, when a node never reported or no node ever claimed to lead, unknown.
/// </summary>
public sealed class FailoverChecker : IChecker
{
    public string Name => "failover";

    public ICheck Start(RunStarted run) => new Fold(Name, run);

    /// <summary>One group's leadership and the failovers in it: those that got a majority leader, and those still
    /// open.</summary>
    private sealed class Group(LeadershipTimeline timeline)
    {
        public LeadershipTimeline Timeline { get; } = timeline;
        public List<FailoverLatency> Measured { get; } = [];
        public List<FailoverLatency> Open { get; } = [];
    }

    private sealed class Fold(string name, RunStarted run) : ICheck
    {
        private readonly List<Group> _groups = [];

        public void Observe(HistoryEvent historyEvent)
        {
            if (historyEvent is not (StateObserved or FaultEvent))
            {
                return;
            }
            if (historyEvent is StateObserved state && !_groups.Exists(g => g.Timeline.Group == state.Group))
            {
                _groups.Add(new Group(LeadershipTimeline.For(run, state.Group)));
            }
            foreach (var group in _groups)
            {
                Observe(group, historyEvent);
            }
        }

        private static void Observe(Group group, HistoryEvent historyEvent)
        {
            var timeline = group.Timeline;
            // The leader is the one in place just before the fault; applying a kill would erase it.
            var opened = false;
            if (historyEvent is FaultEvent { Phase: "start" } fault && FaultKinds.CanRemoveLeader(fault.Kind)
                && timeline.BestLeader is { } leader && fault.Targets.Contains(leader.Node))
            {
                opened = true;
                group.Open.Add(new FailoverLatency
                {
                    FaultKind = fault.Kind,
                    FaultStartNs = fault.TimeNs,
                    Group = timeline.Group,
                    OldLeader = leader.Node,
                    OldTerm = leader.Term,
                });
            }
            if (!timeline.Apply(historyEvent) && !opened)
            {
                return;
            }
            for (var i = 0; i < group.Open.Count; i++)
            {
                group.Open[i] = Advance(group.Open[i], timeline, historyEvent.TimeNs);
            }
            group.Measured.AddRange(group.Open.Where(f => f.ToMajorityLeaderNs is not null));
            group.Open.RemoveAll(f => f.ToMajorityLeaderNs is not null);
        }

        public CheckResult Finish(HistoryFacts facts)
        {
            var failovers = _groups.SelectMany(g => g.Measured.Concat(g.Open)).OrderBy(f => f.FaultStartNs).ToList();
            var figures = new Dictionary<string, double>
            {
                ["failovers"] = failovers.Count,
                ["withoutMajorityLeader"] = failovers.Count(f => f.ToMajorityLeaderNs is null),
            };
            AddPercentiles(figures, "toFirstClaim", failovers.Select(f => f.ToFirstClaimNs));
            AddPercentiles(figures, "toMajorityLeader", failovers.Select(f => f.ToMajorityLeaderNs));
            return Evidence.Judge(new CheckResult
            {
                Checker = name,
                Verdict = Verdict.Valid,
                Summary = Summarize(failovers, figures),
                Failovers = failovers,
                Figures = figures,
            }, facts, Needs.Reports | Needs.Claims);
        }
    }

    /// <summary>
    /// Notes what holds at <paramref name="timeNs"/>. A higher-term claim already standing when
    /// the fault starts counts as a first claim after 0 ns; the new leader is the majority leader
    /// once there is one, until then the first higher-term claimant.
    /// </summary>
    private static FailoverLatency Advance(FailoverLatency failover, LeadershipTimeline timeline, long timeNs)
    {
        if (failover.ToFirstClaimNs is null
            && timeline.Claims.Where(c => c.Term > failover.OldTerm).MaxBy(c => c.Term) is { } claim)
        {
            failover = failover with
            {
                ToFirstClaimNs = timeNs - failover.FaultStartNs,
                NewLeader = claim.Node,
                NewTerm = claim.Term,
            };
        }
        if (timeline.MajorityLeader is { } majority && majority.Term > failover.OldTerm)
        {
            failover = failover with
            {
                ToMajorityLeaderNs = timeNs - failover.FaultStartNs,
                NewLeader = majority.Node,
                NewTerm = majority.Term,
            };
        }
        return failover;
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

    private static string Summarize(List<FailoverLatency> failovers, Dictionary<string, double> figures)
    {
        if (failovers.Count == 0)
        {
            return "no fault took the leader away";
        }
        var summary = $"{failovers.Count} fault{(failovers.Count == 1 ? "" : "s")} took the leader away";
        if (figures.TryGetValue("toMajorityLeaderP50Ms", out var p50))
        {
            summary += $"; a majority leader followed in p50 {p50:0} ms, max {figures["toMajorityLeaderMaxMs"]:0} ms";
        }
        var never = (int)figures["withoutMajorityLeader"];
        return never == 0 ? summary : summary + $"; {never} never got a majority leader of a higher term";
    }
}
