using Coup.Checkers.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// Split brain that had an effect: writes acknowledged by two leaders of the same term, or by a
/// deposed leader after a newer term had already acknowledged one (real-time order contradicts
/// term order). Overlapping writes acknowledged in increasing terms are fine.
/// </summary>
public sealed class DuelingWritesChecker : IChecker
{
    public const int AnomaliesMax = 50;

    public string Name => "dueling-writes";

    private sealed record Acknowledged(string Node, long Term, string Group, long InvokeNs, long OkNs);

    public CheckResult Check(History.History history)
    {
        var acknowledged = Pair(history);
        var anomalies = new Dictionary<(string, string, long, string, long), Anomaly>();
        var violations = 0;
        foreach (var group in acknowledged.GroupBy(a => a.Group))
        {
            var byTerm = group.GroupBy(a => a.Term).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (term, writes) in byTerm)
            {
                foreach (var pair in writes.GroupBy(w => w.Node).Skip(1))
                {
                    var first = writes.First(w => w.Node != pair.Key);
                    var second = pair.First();
                    violations++;
                    Add(anomalies, "dueling-writes", $"{first.Node} and {second.Node} both acknowledged writes in term {term}", first, second);
                }
            }
            // Stale: a write invoked after a higher-term write completed, yet acknowledged in a lower term.
            var byCompletion = group.OrderBy(a => a.OkNs).ToList();
            var highest = (Acknowledged?)null;
            var index = 0;
            foreach (var write in group.OrderBy(a => a.InvokeNs))
            {
                while (index < byCompletion.Count && byCompletion[index].OkNs < write.InvokeNs)
                {
                    if (highest is null || byCompletion[index].Term > highest.Term)
                    {
                        highest = byCompletion[index];
                    }
                    index++;
                }
                if (highest is not null && write.Term < highest.Term)
                {
                    violations++;
                    Add(anomalies, "stale-write", $"{write.Node} acknowledged a write in term {write.Term} after {highest.Node} had acknowledged one in term {highest.Term}", highest, write);
                }
            }
        }
        var list = anomalies.Values.OrderBy(a => a.StartNs).Take(AnomaliesMax).ToList();
        return new CheckResult
        {
            Checker = Name,
            Verdict = violations == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = violations == 0 ? $"{acknowledged.Count} acknowledged writes, all in term order"
                : $"{violations} acknowledged writes contradict term order, between {anomalies.Count} pairs of leaders",
            Anomalies = list,
            Figures = new Dictionary<string, double> { ["okWrites"] = acknowledged.Count, ["violations"] = violations, ["leaderPairs"] = anomalies.Count },
        };
    }

    private static void Add(Dictionary<(string, string, long, string, long), Anomaly> anomalies, string kind, string description, Acknowledged a, Acknowledged b)
    {
        var key = (kind, a.Node, a.Term, b.Node, b.Term);
        if (anomalies.TryGetValue(key, out var existing))
        {
            anomalies[key] = existing with
            {
                StartNs = Math.Min(existing.StartNs, Math.Min(a.InvokeNs, b.InvokeNs)),
                EndNs = Math.Max(existing.EndNs ?? 0, Math.Max(a.OkNs, b.OkNs)),
            };
            return;
        }
        anomalies[key] = new Anomaly
        {
            Kind = kind,
            Description = description,
            Nodes = [a.Node, b.Node],
            Terms = [a.Term, b.Term],
            Group = a.Group,
            StartNs = Math.Min(a.InvokeNs, b.InvokeNs),
            EndNs = Math.Max(a.OkNs, b.OkNs),
        };
    }

    private static List<Acknowledged> Pair(History.History history)
    {
        var invoked = new Dictionary<(int Process, long Value), ClientOp>();
        var acknowledged = new List<Acknowledged>();
        foreach (var op in history.Ops.Where(o => o.F == "write"))
        {
            if (op.Phase == OpPhases.Invoke)
            {
                invoked[(op.Process, op.Value)] = op;
            }
            else if (invoked.Remove((op.Process, op.Value), out var invoke) && op.Phase == OpPhases.Ok && op.Term is { } term)
            {
                acknowledged.Add(new Acknowledged(op.Node, term, op.Group ?? "default", invoke.TimeNs, op.TimeNs));
            }
        }
        return acknowledged;
    }
}
