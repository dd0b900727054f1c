using Coup.History;

namespace Coup.Checkers.Checks;

/// <summary>
/// Split brain that had an effect, judged on acknowledged (ok) writes and the (node, term) that
/// acknowledged each: two nodes acknowledging in the same term, or a deposed leader acknowledging
/// a write invoked after a newer term had already acknowledged one (real-time order contradicts
/// term order). Overlapping writes acknowledged in increasing terms are fine: Raft's old leader
/// may commit an entry while its successor's first write is in flight.
/// </summary>
/// <remarks>
/// It keeps no write: for each leader (node, term) only how many it acknowledged and when, and for
/// each pair of leaders only the stale writes between them. A write is stale as it completes, since
/// a newer leader's first ok before its invoke has already been read.
/// </remarks>
public sealed class DuelingWritesChecker : IChecker
{
    /// <summary>A long split brain yields a pair per re-election; the report needs the first ones, the figures count
    /// them all.</summary>
    public const int AnomaliesMax = 50;

    public string Name => "dueling-writes";

    public ICheck Start(RunStarted run) => new Fold(Name);

    /// <summary>What one (node, term) acknowledged: how many writes, and when.</summary>
    private sealed class Leader(string node, long term)
    {
        public string Node { get; } = node;
        public long Term { get; } = term;
        public int Writes { get; private set; }
        public long FirstInvokeNs { get; private set; } = long.MaxValue;
        public long LastOkNs { get; private set; } = long.MinValue;
        /// <summary>Its first acknowledgement (of two at once, the one invoked first).</summary>
        public (long InvokeNs, long OkNs) FirstOk { get; private set; } = (long.MaxValue, long.MaxValue);

        public void Add(long invokeNs, long okNs)
        {
            Writes++;
            FirstInvokeNs = Math.Min(FirstInvokeNs, invokeNs);
            LastOkNs = Math.Max(LastOkNs, okNs);
            if (okNs < FirstOk.OkNs || okNs == FirstOk.OkNs && invokeNs < FirstOk.InvokeNs)
            {
                FirstOk = (invokeNs, okNs);
            }
        }

        public override string ToString() => $"{Node} in term {Term}";
    }

    /// <summary>The writes an older leader acknowledged that were invoked after a newer one's first ok.</summary>
    private sealed class Stale
    {
        public int Writes { get; set; }
        public long LastOkNs { get; set; } = long.MinValue;
    }

    private sealed class Fold(string name) : ICheck
    {
        private readonly Dictionary<(int Process, long Value), ClientOp> _invoked = [];
        /// <summary>Each group's leaders, by term.</summary>
        private readonly Dictionary<string, List<Leader>> _groups = [];
        private readonly Dictionary<(string Group, string Node, long Term), Leader> _leaders = [];
        private readonly Dictionary<(Leader Older, Leader Newer), Stale> _stale = [];
        private int _acknowledged;
        private int _withoutTerm;
        private int _withoutLeader;

        public void Observe(HistoryEvent historyEvent)
        {
            if (historyEvent is not ClientOp { F: "write" } op)
            {
                return;
            }
            if (op.Phase == OpPhases.Invoke)
            {
                _invoked[(op.Process, op.Value)] = op;
            }
            else if (_invoked.Remove((op.Process, op.Value), out var invoke) && op.Phase == OpPhases.Ok)
            {
                if (op.AcknowledgedBy == ClientOp.UnknownLeader)
                {
                    _withoutLeader++;
                }
                else if (op.Term is { } term)
                {
                    var group = op.Group ?? invoke.Group ?? "default";
                    Acknowledge(group, op.AcknowledgedBy ?? op.Node, term, invoke.TimeNs, op.TimeNs);
                }
                else
                {
                    _withoutTerm++;
                }
            }
        }

        private void Acknowledge(string group, string node, long term, long invokeNs, long okNs)
        {
            _acknowledged++;
            if (!_leaders.TryGetValue((group, node, term), out var leader))
            {
                leader = _leaders[(group, node, term)] = new Leader(node, term);
                var leaders = _groups.TryGetValue(group, out var known) ? known : _groups[group] = [];
                var at = leaders.FindLastIndex(l => l.Term <= term) + 1;
                leaders.Insert(at, leader);
            }
            leader.Add(invokeNs, okNs);
            // Stale if a leader of a newer term had acknowledged a write before this one was invoked.
            var byTerm = _groups[group];
            for (var i = byTerm.Count - 1; i >= 0 && byTerm[i].Term > term; i--)
            {
                if (byTerm[i].FirstOk.OkNs < invokeNs)
                {
                    var pair = (leader, byTerm[i]);
                    var stale = _stale.TryGetValue(pair, out var known) ? known : _stale[pair] = new Stale();
                    stale.Writes++;
                    stale.LastOkNs = Math.Max(stale.LastOkNs, okNs);
                }
            }
        }

        public CheckResult Finish(HistoryFacts facts)
        {
            var anomalies = new List<Anomaly>();
            foreach (var (group, byTerm) in _groups)
            {
                var leaders = byTerm.OrderBy(l => l.Term).ThenBy(l => l.Node, StringComparer.Ordinal).ToList();
                anomalies.AddRange(Pairs(leaders)
                    .Select(pair => Judge(leaders[pair.Older], leaders[pair.Newer], group))
                    .OfType<Anomaly>());
            }
            anomalies.Sort((a, b) => a.StartNs.CompareTo(b.StartNs));
            var shown = anomalies.Take(AnomaliesMax).ToList();
            var missing = Evidence.Missing(facts, Needs.Operations).ToList();
            if (_acknowledged == 0 && _withoutTerm + _withoutLeader > 0)
            {
                missing.Add(
                    $"none of the {_withoutTerm + _withoutLeader} acknowledged writes names its leader and term");
            }
            return Evidence.Judge(new CheckResult
            {
                Checker = name,
                Verdict = anomalies.Count == 0 ? Verdict.Valid : Verdict.Invalid,
                Summary = _acknowledged == 0 ? "no write was acknowledged by a known leader and term"
                    : anomalies.Count == 0 ? $"{_acknowledged} acknowledged writes, all in term order"
                    : $"{anomalies.Count} pairs of leaders acknowledged writes against term order"
                        + (shown.Count < anomalies.Count ? $" (the first {shown.Count} listed)" : ""),
                Anomalies = shown,
                Figures = new Dictionary<string, double>
                {
                    ["okWrites"] = _acknowledged,
                    ["okWritesWithoutTerm"] = _withoutTerm,
                    ["okWritesWithoutLeader"] = _withoutLeader,
                    ["violations"] = anomalies.Count,
                },
            }, missing);
        }

        /// <summary>
        /// The pairs of <paramref name="leaders"/> (of one group, by term then node) that can be an anomaly, by
        /// their indexes, in the order of the indexes: every two of one term, and every two with stale writes.
        /// Any other pair is fine, so a history of many terms is not judged pair by pair.
        /// </summary>
        private List<(int Older, int Newer)> Pairs(List<Leader> leaders)
        {
            var pairs = new List<(int Older, int Newer)>();
            for (var start = 0; start < leaders.Count;)
            {
                var end = start + 1;
                while (end < leaders.Count && leaders[end].Term == leaders[start].Term)
                {
                    end++;
                }
                for (var i = start; i < end; i++)
                {
                    for (var j = i + 1; j < end; j++)
                    {
                        pairs.Add((i, j));
                    }
                }
                start = end;
            }
            var index = leaders.Select((leader, i) => (leader, i)).ToDictionary(x => x.leader, x => x.i);
            foreach (var (older, newer) in _stale.Keys)
            {
                if (index.TryGetValue(older, out var i) && index.TryGetValue(newer, out var j))
                {
                    pairs.Add((i, j));
                }
            }
            pairs.Sort();
            return pairs;
        }

        /// <summary>Judges two leaders of one group, <paramref name="older"/> of a term no higher than
        /// <paramref name="newer"/>'s.</summary>
        private Anomaly? Judge(Leader older, Leader newer, string group)
        {
            if (older.Term == newer.Term)
            {
                return new Anomaly
                {
                    Kind = "dueling-writes",
                    Description = $"{older.Node} and {newer.Node} both acknowledged writes in term {older.Term} "
                        + $"({older.Writes} and {newer.Writes} writes)",
                    Nodes = [older.Node, newer.Node],
                    Terms = [older.Term, newer.Term],
                    Group = group,
                    StartNs = Math.Min(older.FirstInvokeNs, newer.FirstInvokeNs),
                    EndNs = Math.Max(older.LastOkNs, newer.LastOkNs),
                };
            }
            if (!_stale.TryGetValue((older, newer), out var stale))
            {
                return null;
            }
            var newerOk = newer.FirstOk;
            return new Anomaly
            {
                Kind = "stale-write",
                Description = $"{older} acknowledged {stale.Writes} write{(stale.Writes == 1 ? "" : "s")} "
                    + $"invoked after {newer} had acknowledged one at {newerOk.OkNs / 1e9:0.000} s",
                Nodes = [newer.Node, older.Node],
                Terms = [newer.Term, older.Term],
                Group = group,
                StartNs = newerOk.InvokeNs,
                EndNs = stale.LastOkNs,
            };
        }
    }
}
