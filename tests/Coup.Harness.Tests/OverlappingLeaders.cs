using Coup.Checkers;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>What the violation of a split-brain run must name, worked out from the history itself.</summary>
internal static class OverlappingLeaders
{
    /// <summary>
    /// The run's first violation names the leaders the history shows: for two leaders of one term,
    /// two nodes that each claimed to lead it; for writes acknowledged against term order, the newer leader and the
    /// stale one, each in the term in which the history shows it claiming to lead and acknowledging; for a window with
    /// two leaders of one term, every node that claimed during it, each with the highest term it claimed then.
    /// </summary>
    internal static void AssertNamedAsTheHistoryShows(RunHistory history, Results results)
    {
        var violation = results.Anomalies.First(a => a.Violation);
        switch (violation.Kind)
        {
            case "same-term-leaders":
                var term = Assert.Single(violation.Terms);
                Assert.Equal(2, violation.Nodes.Distinct().Count());
                Assert.All(violation.Nodes, node => AssertClaimed(history, node, term, violation.Group));
                break;
            case "stale-write" or "dueling-writes":
                AssertWritesAgainstTermOrder(history, violation);
                break;
            case "split-brain":
                AssertSameTermWindow(history, violation);
                break;
            default:
                Assert.Fail($"a split brain was expected, not {violation.Kind}: {violation.Description}");
                break;
        }
    }

    private static void AssertWritesAgainstTermOrder(RunHistory history, Anomaly violation)
    {
        var named = violation.Nodes.Zip(violation.Terms).ToList();
        Assert.Equal(2, named.Count);
        var ((newer, newerTerm), (older, olderTerm)) = (named[0], named[1]);
        Assert.NotEqual(newer, older);
        Assert.True(olderTerm <= newerTerm, $"{older} in term {olderTerm} is not behind {newer} in term {newerTerm}");
        foreach (var (node, term) in named)
        {
            AssertClaimed(history, node, term, violation.Group);
        }
        var writes = AcknowledgedWrites(history, violation.Group);
        var newerFirstOkNs = writes.Where(w => w.Node == newer && w.Term == newerTerm).Min(w => w.OkNs);
        Assert.Contains(writes, w => w.Node == older && w.Term == olderTerm
            && (olderTerm == newerTerm || w.InvokeNs > newerFirstOkNs));
    }

    private static void AssertClaimed(RunHistory history, string node, long term, string group) =>
        Assert.Contains(history.States, s => s.IsLeader && (s.Node, s.Term, s.Group) == (node, term, group));

    /// <summary>Each ok write with the node and term that acknowledged it, and the time of its invoke.</summary>
    private static List<(string Node, long Term, long InvokeNs, long OkNs)> AcknowledgedWrites(
        RunHistory history, string group)
    {
        var invokes = history.Ops.Where(o => o.Phase == OpPhases.Invoke)
            .ToDictionary(o => (o.Process, o.Value), o => o.TimeNs);
        return [.. history.Ops
            .Where(o => o.Phase == OpPhases.Ok && o.F == "write" && o.Term is not null)
            .Where(o => (o.Group ?? "default") == group)
            .Select(o => (o.AcknowledgedBy ?? o.Node, o.Term!.Value, invokes[(o.Process, o.Value)], o.TimeNs))];
    }

    /// <summary>A claim stands until the node's next word or its kill.</summary>
    private static void AssertSameTermWindow(RunHistory history, Anomaly window)
    {
        var endNs = window.EndNs ?? history.EndNs;
        var standing = new Dictionary<string, StateObserved>();
        var claimants = new HashSet<string>();
        var heldTerms = new SortedSet<long>();
        var sharedTerms = new SortedSet<long>();
        foreach (var instant in history.Events.GroupBy(e => e.TimeNs))
        {
            foreach (var historyEvent in instant)
            {
                if (historyEvent is StateObserved state && state.Group == window.Group)
                {
                    standing[state.Node] = state;
                }
                else if (historyEvent is FaultEvent { Phase: "start", Kind: FaultKinds.Kill } kill)
                {
                    kill.Targets.ToList().ForEach(node => standing.Remove(node));
                }
            }
            if (instant.Key < window.StartNs || instant.Key >= endNs)
            {
                continue;
            }
            var claims = standing.Values.Where(s => s.IsLeader).ToList();
            claimants.UnionWith(claims.Select(c => c.Node));
            heldTerms.UnionWith(claims.Select(c => c.Term));
            sharedTerms.UnionWith(claims.GroupBy(c => c.Term).Where(g => g.Count() > 1).Select(g => g.Key));
        }

        Assert.NotEmpty(sharedTerms);
        Assert.Equal(claimants.Order(StringComparer.Ordinal), window.Nodes.Order(StringComparer.Ordinal));
        Assert.Equal(heldTerms, window.Terms);
    }
}
