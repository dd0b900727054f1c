using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// After the final heal the cluster must settle: at the end of the run a leader that a majority
/// acknowledges, whose reign (same node, same term) is not disturbed after the heal by a new claim
/// from another node or of a higher term, and with no other node still claiming at the end.
/// Stale claims that were standing before and die out after the heal are not disturbances: an
/// isolated old leader only learns of its successor once the partition heals.
/// </summary>
public sealed class LivenessChecker : IChecker
{
    public string Name => "liveness";

    public ICheck Start(RunStarted run) => new Fold(Name, run);

    /// <summary>
    /// One group's leadership as the liveness judgment needs it: its last instant, and since the current
    /// majority leader's unbroken reign began, each new claim that would disturb that leader.
    /// </summary>
    private sealed class Reign
    {
        public LeadershipInstant? Last { get; private set; }
        public long StartNs { get; private set; }
        /// <summary>
        /// During the reign, each instant's claims that are rivals of its leader and were not standing just before.
        /// </summary>
        public List<(long TimeNs, List<StateObserved> Claims)> NewRivals { get; } = [];

        public void Add(LeadershipInstant instant)
        {
            var standing = Last?.Claims.Select(c => (c.Node, c.Term)).ToHashSet() ?? [];
            if (instant.MajorityLeader is not { } leader || Last?.MajorityLeader is not { } previous
                || previous.Node != leader.Node || previous.Term != leader.Term)
            {
                StartNs = instant.TimeNs;
                NewRivals.Clear();
            }
            if (instant.MajorityLeader is { } reigning)
            {
                var rivals = instant.Claims
                    .Where(c => IsRival(c, reigning) && !standing.Contains((c.Node, c.Term)))
                    .ToList();
                if (rivals.Count > 0)
                {
                    NewRivals.Add((instant.TimeNs, rivals));
                }
            }
            Last = instant;
        }
    }

    private static bool IsRival(StateObserved claim, StateObserved leader) =>
        claim.Node != leader.Node || claim.Term > leader.Term;

    private sealed class Fold : ICheck
    {
        private readonly string _name;
        private readonly RunStarted _run;
        private readonly LeadershipReplay _replay;
        private readonly Dictionary<string, Reign> _groups = [];
        /// <summary>The group each node spoke for last, and every group any node spoke for.</summary>
        private readonly Dictionary<string, string> _lastGroupOf = [];
        private readonly HashSet<string> _groupsNamed = [];

        public Fold(string name, RunStarted run)
        {
            _name = name;
            _run = run;
            _replay = new LeadershipReplay(run, (group, instant) =>
                (_groups.TryGetValue(group, out var known) ? known : _groups[group] = new Reign()).Add(instant));
        }

        public void Observe(HistoryEvent historyEvent)
        {
            _replay.Observe(historyEvent);
            if (historyEvent is StateObserved state)
            {
                _lastGroupOf[state.Node] = state.Group;
                _groupsNamed.Add(state.Group);
            }
        }

        public CheckResult Finish(HistoryFacts facts)
        {
            _replay.Finish();
            // Liveness judges what holds after the final heal. Without a heal, with a fault still in
            // force (a leader paused or killed and never brought back), with a node never heard from,
            // or one whose observation was lost at the end, even a missing or unstable leader proves
            // nothing about the system: unknown.
            var missing = Evidence.Missing(
                facts, Needs.FinalHeal | Needs.Reports | Needs.StoppedFaults | Needs.FinalStates);
            if (missing.Count > 0)
            {
                return Evidence.Unknown(_name, missing);
            }
            var end = facts.End!;
            var healedNs = end.HealedNs!.Value;
            var quorum = _run.Nodes.Count / 2 + 1;
            var anomalies = new List<Anomaly>();
            var convergeNs = 0L;
            // Only groups some node still belongs to at the end must have settled; a group absorbed by a merge
            // is gone. Where nodes speak for several groups at once, every group must have settled.
            var groupsAtEnd = _run.GroupsAreExclusive ? _lastGroupOf.Values.ToHashSet() : _groupsNamed;
            foreach (var group in _replay.Groups.Where(groupsAtEnd.Contains))
            {
                var reign = _groups.GetValueOrDefault(group);
                if (reign?.Last?.MajorityLeader is not { } leader)
                {
                    anomalies.Add(new Anomaly
                    {
                        Kind = "no-leader-after-heal",
                        Description = $"{(end.TimeNs - healedNs) / 1e6:0} ms after the final heal "
                            + $"no leader was acknowledged by a majority ({quorum} of {_run.Nodes.Count})",
                        Group = group,
                        StartNs = healedNs,
                        EndNs = end.TimeNs,
                    });
                    continue;
                }
                if (Disturbance(reign, leader, Math.Max(reign.StartNs, healedNs)) is var (rival, standing)
                    && rival is not null)
                {
                    anomalies.Add(new Anomaly
                    {
                        Kind = "leader-unstable-after-heal",
                        Description = standing
                            ? $"{rival.Node} still claimed term {rival.Term} at the end, "
                                + $"beside {leader.Node} leading term {leader.Term}"
                            : $"after the final heal {rival.Node} claimed term {rival.Term} "
                                + $"while {leader.Node} led term {leader.Term}",
                        Nodes = [leader.Node, rival.Node],
                        Terms = [leader.Term, rival.Term],
                        Group = group,
                        StartNs = Math.Max(rival.TimeNs, healedNs),
                        EndNs = end.TimeNs,
                    });
                    continue;
                }
                convergeNs = Math.Max(convergeNs, Math.Max(0, reign.StartNs - healedNs));
            }
            if (anomalies.Count > 0)
            {
                return new CheckResult
                {
                    Checker = _name,
                    Verdict = Verdict.Invalid,
                    Summary = anomalies[0].Description,
                    Anomalies = anomalies,
                };
            }
            return new CheckResult
            {
                Checker = _name,
                Verdict = Verdict.Valid,
                Summary = $"one stable leader {convergeNs / 1e6:0} ms after the final heal",
                Figures = new Dictionary<string, double> { ["convergeMs"] = convergeNs / 1e6 },
            };
        }
    }

    /// <summary>
    /// The first claim, from <paramref name="fromNs"/> on (within the final leader's reign), that another
    /// node or a higher term started (a claim standing before is not new); else a claim by another node
    /// still standing at the end.
    /// </summary>
    /// <remarks>
    /// A claim of an older term than the leader's that had ended by the end is not a disturbance: it
    /// is a stale word the observer received late. A node resumed from a pause sends its event
    /// stream's backlog at once, so a claim it made before the leader's reign began can be stamped
    /// after it (seen in a container run: a claim of term 21, stamped 0.3 ms after the leader of
    /// term 47 was, and ended 9 us later in the same burst).
    /// </remarks>
    private static (StateObserved? Rival, bool Standing) Disturbance(Reign reign, StateObserved leader, long fromNs)
    {
        var atEnd = reign.Last!.Claims.Select(c => (c.Node, c.Term)).ToHashSet();
        bool Stale(StateObserved claim) => claim.Term < leader.Term && !atEnd.Contains((claim.Node, claim.Term));
        var rivals = reign.NewRivals.Where(r => r.TimeNs >= fromNs).SelectMany(r => r.Claims);
        if (rivals.FirstOrDefault(c => !Stale(c)) is { } started)
        {
            return (started, false);
        }
        return (reign.Last.Claims.FirstOrDefault(c => IsRival(c, leader)), true);
    }
}
