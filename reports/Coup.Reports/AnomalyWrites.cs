using System.Globalization;
using Coup.Checkers;
using Coup.History;

namespace Coup.Reports;

/// <summary>
/// The client writes an anomaly refers to: those acknowledged (<c>ok</c>) within its interval, in its
/// group, by one of the nodes it names (any node when it names none), written as the history has them
/// so a reader can find them in history.jsonl.
/// </summary>
public static class AnomalyWrites
{
    /// <summary>Writes named per anomaly; the rest are counted.</summary>
    public const int NamedMax = 8;

    /// <summary>Whether <paramref name="anomaly"/> refers to <paramref name="op"/>: the rule, once.</summary>
    public static bool Names(Anomaly anomaly, ClientOp op) =>
        op.Phase == OpPhases.Ok
        && op.TimeNs >= anomaly.StartNs && op.TimeNs <= (anomaly.EndNs ?? anomaly.StartNs)
        && (op.Group ?? "default") == anomaly.Group
        && (anomaly.Nodes.Count == 0 || anomaly.Nodes.Contains(op.AcknowledgedBy ?? op.Node));

    public static IReadOnlyList<ClientOp> Within(RunHistory history, Anomaly anomaly) =>
        [.. history.Ops.Where(op => Names(anomaly, op))];

    /// <summary>e.g. <c>17 by n1 in t3 (process 2), 18 by n2 in t4 (process 0)</c>, or <c>-</c>.</summary>
    public static string Describe(IReadOnlyList<ClientOp> writes) => Describe(writes, writes.Count);

    /// <summary>The first of <paramref name="count"/> writes named, the rest counted.</summary>
    public static string Describe(IReadOnlyList<ClientOp> writes, int count)
    {
        if (count == 0)
        {
            return "-";
        }
        var named = writes.Take(NamedMax).Select(op => string.Create(CultureInfo.InvariantCulture,
            $"{op.Value} by {op.AcknowledgedBy ?? op.Node}{(op.Term is { } term ? $" in t{term}" : "")} " +
            $"(process {op.Process})"));
        var rest = count > NamedMax ? $" and {count - NamedMax} more" : "";
        return string.Join(", ", named) + rest;
    }
}

/// <summary>
/// Collects, as completions stream past in time order, the writes each anomaly names (<see cref="AnomalyWrites"/>):
/// the first <see cref="AnomalyWrites.NamedMax"/> of each and how many in all. Only anomalies whose interval holds
/// the completion's time are asked, so the cost grows with the overlapping anomalies, not all of them.
/// </summary>
internal sealed class AnomalyWriteCollector
{
    private readonly List<Anomaly> _byStart;
    private readonly List<Anomaly> _open = [];
    private readonly Dictionary<Anomaly, (List<ClientOp> Named, int Count)> _writes =
        new(ReferenceEqualityComparer.Instance);
    private int _next;

    public AnomalyWriteCollector(IEnumerable<Anomaly> anomalies) =>
        _byStart = [.. anomalies.OrderBy(a => a.StartNs)];

    public void Observe(ClientOp completion)
    {
        if (completion.Phase != OpPhases.Ok)
        {
            return;
        }
        while (_next < _byStart.Count && _byStart[_next].StartNs <= completion.TimeNs)
        {
            _open.Add(_byStart[_next++]);
        }
        _open.RemoveAll(a => (a.EndNs ?? a.StartNs) < completion.TimeNs);
        foreach (var anomaly in _open.Where(a => AnomalyWrites.Names(a, completion)))
        {
            var (named, count) = _writes.TryGetValue(anomaly, out var found) ? found : ([], 0);
            if (named.Count < AnomalyWrites.NamedMax)
            {
                named.Add(completion);
            }
            _writes[anomaly] = (named, count + 1);
        }
    }

    public (IReadOnlyList<ClientOp> Named, int Count) Of(Anomaly anomaly) =>
        _writes.TryGetValue(anomaly, out var found) ? (found.Named, found.Count) : ([], 0);
}
