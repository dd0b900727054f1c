using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// Split brain that had an effect, judged on acknowledged (ok) writes and the (node, term) that
/// acknowledged each: two nodes acknowledging in the same term, or a deposed leader acknowledging
/// a write invoked after a newer term had already acknowledged one (real-time order contradicts
/// term order). Overlapping writes acknowledged in increasing terms are fine: Raft's old leader
/// may commit an entry while its successor's first write is in flight.
/// </summary>
public sealed class DuelingWritesChecker : IChecker
{
    /// <summary>A long split brain yields a pair per re-election; the report needs the first ones, the figures count them all.</summary>
    public const int AnomaliesMax = 50;

    public string Name => "dueling-writes";

    private sealed record Acknowledged(string Node, long Term, string Group, long InvokeNs, long OkNs);

    /// <summary>Every write one (node, term) acknowledged, in invoke order.</summary>
    private sealed record Leader(string Node, long Term, IReadOnlyList<Acknowledged> Writes)
    {
        public Acknowledged FirstOk { get; } = Writes.MinBy(w => w.OkNs)!;
        public long LastInvokeNs => Writes[^1].InvokeNs;
        public override string ToString() => $"{Node} in term {Term}";
    }

    public CheckResult Check(RunHistory history)
    {
        var (acknowledged, withoutTerm, unattributed) = Pair(history);
        var anomalies = new List<Anomaly>();
        foreach (var group in acknowledged.GroupBy(a => a.Group))
        {
            var leaders = group.GroupBy(a => (a.Node, a.Term))
                .Select(g => new Leader(g.Key.Node, g.Key.Term, [.. g.OrderBy(w => w.InvokeNs)]))
                .OrderBy(l => l.Term).ThenBy(l => l.Node, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < leaders.Count; i++)
            {
                for (var j = i + 1; j < leaders.Count; j++)
                {
                    if (Judge(leaders[i], leaders[j], group.Key) is { } anomaly)
                    {
                        anomalies.Add(anomaly);
                    }
                }
            }
        }
        anomalies.Sort((a, b) => a.StartNs.CompareTo(b.StartNs));
        var shown = anomalies.Take(AnomaliesMax).ToList();
        var missing = Evidence.Missing(history, Needs.Operations).ToList();
        if (acknowledged.Count == 0 && withoutTerm + unattributed > 0)
        {
            missing.Add($"none of the {withoutTerm + unattributed} acknowledged writes names its leader and term");
        }
        return Evidence.Judge(new CheckResult
        {
            Checker = Name,
            Verdict = anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
            Summary = acknowledged.Count == 0 ? "no write was acknowledged by a known leader and term"
                : anomalies.Count == 0 ? $"{acknowledged.Count} acknowledged writes, all in term order"
                : $"{anomalies.Count} pairs of leaders acknowledged writes against term order" + (shown.Count < anomalies.Count ? $" (the first {shown.Count} listed)" : ""),
            Anomalies = shown,
            Figures = new Dictionary<string, double>
            {
                ["okWrites"] = acknowledged.Count,
                ["okWritesWithoutTerm"] = withoutTerm,
                ["okWritesWithoutLeader"] = unattributed,
                ["violations"] = anomalies.Count,
            },
        }, missing);
    }

    /// <summary>Judges two leaders of one group, <paramref name="older"/> of a term no higher than <paramref name="newer"/>'s.</summary>
    private static Anomaly? Judge(Leader older, Leader newer, string group)
    {
        if (older.Term == newer.Term)
        {
            var writes = older.Writes.Concat(newer.Writes).ToList();
            return new Anomaly
            {
                Kind = "dueling-writes",
                Description = $"{older.Node} and {newer.Node} both acknowledged writes in term {older.Term} ({older.Writes.Count} and {newer.Writes.Count} writes)",
                Nodes = [older.Node, newer.Node],
                Terms = [older.Term, newer.Term],
                Group = group,
                StartNs = writes.Min(w => w.InvokeNs),
                EndNs = writes.Max(w => w.OkNs),
            };
        }
        // Stale writes are the older leader's writes invoked after the newer leader's first ok.
        var newerOk = newer.FirstOk;
        if (older.LastInvokeNs <= newerOk.OkNs)
        {
            return null;
        }
        var stale = older.Writes.Where(w => w.InvokeNs > newerOk.OkNs).ToList();
        return new Anomaly
        {
            Kind = "stale-write",
            Description = $"{older} acknowledged {stale.Count} write{(stale.Count == 1 ? "" : "s")} invoked after {newer} had acknowledged one at {newerOk.OkNs / 1e9:0.000} s",
            Nodes = [newer.Node, older.Node],
            Terms = [newer.Term, older.Term],
            Group = group,
            StartNs = newerOk.InvokeNs,
            EndNs = stale.Max(w => w.OkNs),
        };
    }

    /// <summary>
    /// Pairs each write's invoke with its completion (same process and value); returns the ok ones
    /// with the leader that acknowledged each, how many lacked a term, and how many went through a
    /// node that could not say which leader took them (left out rather than guessed).
    /// </summary>
    private static (List<Acknowledged> Acknowledged, int WithoutTerm, int WithoutLeader) Pair(RunHistory history)
    {
        var invoked = new Dictionary<(int Process, long Value), ClientOp>();
        var acknowledged = new List<Acknowledged>();
        var withoutTerm = 0;
        var withoutLeader = 0;
        foreach (var op in history.Ops.Where(o => o.F == "write"))
        {
            if (op.Phase == OpPhases.Invoke)
            {
                invoked[(op.Process, op.Value)] = op;
            }
            else if (invoked.Remove((op.Process, op.Value), out var invoke) && op.Phase == OpPhases.Ok)
            {
                if (op.AcknowledgedBy == ClientOp.UnknownLeader)
                {
                    withoutLeader++;
                }
                else if (op.Term is { } term)
                {
                    acknowledged.Add(new Acknowledged(op.AcknowledgedBy ?? op.Node, term, op.Group ?? invoke.Group ?? "default", invoke.TimeNs, op.TimeNs));
                }
                else
                {
                    withoutTerm++;
                }
            }
        }
        return (acknowledged, withoutTerm, withoutLeader);
    }
}
