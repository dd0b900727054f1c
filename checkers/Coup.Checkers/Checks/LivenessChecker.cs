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

    public CheckResult Check(RunHistory history)
    {
        // Liveness judges what holds after the final heal. Without a heal, with a fault still in
        // force (a leader paused or killed and never brought back), with a node never heard from,
        // or one whose observation was lost at the end, even a missing or unstable leader proves
        // nothing about the system: unknown.
        var missing = Evidence.Missing(
            history, Needs.FinalHeal | Needs.Reports | Needs.StoppedFaults | Needs.FinalStates);
        if (missing.Count > 0)
        {
            return Evidence.Unknown(Name, missing);
        }
        var end = history.End!;
        var healedNs = end.HealedNs!.Value;
        var quorum = history.Run.Nodes.Count / 2 + 1;
        var anomalies = new List<Anomaly>();
        var convergeNs = 0L;
        // Only groups some node still belongs to at the end must have settled; a group absorbed by a merge
        // is gone. Where nodes speak for several groups at once, every group must have settled.
        var groupsAtEnd = history.Run.GroupsAreExclusive
            ? history.States.GroupBy(s => s.Node).Select(g => g.Last().Group).ToHashSet()
            : history.States.Select(s => s.Group).ToHashSet();
        foreach (var group in LeadershipTimeline.Groups(history).Where(groupsAtEnd.Contains))
        {
            var instants = LeadershipTimeline.Replay(history, group).ToList();
            if (instants.LastOrDefault()?.MajorityLeader is not { } leader)
            {
                anomalies.Add(new Anomaly
                {
                    Kind = "no-leader-after-heal",
                    Description = $"{(end.TimeNs - healedNs) / 1e6:0} ms after the final heal "
                        + $"no leader was acknowledged by a majority ({quorum} of {history.Run.Nodes.Count})",
                    Group = group,
                    StartNs = healedNs,
                    EndNs = end.TimeNs,
                });
                continue;
            }
            var reignStartNs = ReignStart(instants, leader);
            if (Disturbance(instants, leader, Math.Max(reignStartNs, healedNs)) is var (rival, standing) && rival is not null)
            {
                anomalies.Add(new Anomaly
                {
                    Kind = "leader-unstable-after-heal",
                    Description = standing
                        ? $"{rival.Node} still claimed term {rival.Term} at the end, beside {leader.Node} leading term {leader.Term}"
                        : $"after the final heal {rival.Node} claimed term {rival.Term} while {leader.Node} led term {leader.Term}",
                    Nodes = [leader.Node, rival.Node],
                    Terms = [leader.Term, rival.Term],
                    Group = group,
                    StartNs = Math.Max(rival.TimeNs, healedNs),
                    EndNs = end.TimeNs,
                });
                continue;
            }
            convergeNs = Math.Max(convergeNs, Math.Max(0, reignStartNs - healedNs));
        }
        if (anomalies.Count > 0)
        {
            return new CheckResult { Checker = Name, Verdict = Verdict.Invalid, Summary = anomalies[0].Description, Anomalies = anomalies };
        }
        return new CheckResult
        {
            Checker = Name,
            Verdict = Verdict.Valid,
            Summary = $"one stable leader {convergeNs / 1e6:0} ms after the final heal",
            Figures = new Dictionary<string, double> { ["convergeMs"] = convergeNs / 1e6 },
        };
    }

    /// <summary>When the final leader's unbroken reign as majority leader began.</summary>
    private static long ReignStart(List<LeadershipInstant> instants, StateObserved leader)
    {
        var start = instants.Count - 1;
        while (start > 0 && instants[start - 1].MajorityLeader is { } previous && previous.Node == leader.Node && previous.Term == leader.Term)
        {
            start--;
        }
        return instants[start].TimeNs;
    }

    /// <summary>
    /// The first claim, from <paramref name="fromNs"/> on, that another node or a higher term
    /// started (a claim standing before is not new); else a claim by another node still standing at the end.
    /// </summary>
    /// <remarks>
    /// A claim of an older term than the leader's that had ended by the end is not a disturbance: it
    /// is a stale word the observer received late. A node resumed from a pause sends its event
    /// stream's backlog at once, so a claim it made before the leader's reign began can be stamped
    /// after it (seen in a container run: a claim of term 21, stamped 0.3 ms after the leader of
    /// term 47 was, and ended 9 us later in the same burst).
    /// </remarks>
    private static (StateObserved? Rival, bool Standing) Disturbance(List<LeadershipInstant> instants, StateObserved leader, long fromNs)
    {
        var atEnd = instants[^1].Claims.Select(c => (c.Node, c.Term)).ToHashSet();
        bool Rival(StateObserved claim) => claim.Node != leader.Node || claim.Term > leader.Term;
        bool Stale(StateObserved claim) => claim.Term < leader.Term && !atEnd.Contains((claim.Node, claim.Term));
        var standing = new HashSet<(string, long)>();
        foreach (var instant in instants)
        {
            if (instant.TimeNs >= fromNs && instant.Claims.FirstOrDefault(c => Rival(c) && !Stale(c) && !standing.Contains((c.Node, c.Term))) is { } started)
            {
                return (started, false);
            }
            standing = [.. instant.Claims.Select(c => (c.Node, c.Term))];
        }
        return (instants[^1].Claims.FirstOrDefault(Rival), true);
    }
}
