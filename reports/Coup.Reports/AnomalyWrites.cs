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

    public static IReadOnlyList<ClientOp> Within(RunHistory history, Anomaly anomaly)
    {
        var endNs = anomaly.EndNs ?? anomaly.StartNs;
        return [.. history.Ops.Where(op => op.Phase == OpPhases.Ok
            && op.TimeNs >= anomaly.StartNs && op.TimeNs <= endNs
            && (op.Group ?? "default") == anomaly.Group
            && (anomaly.Nodes.Count == 0 || anomaly.Nodes.Contains(op.AcknowledgedBy ?? op.Node)))];
    }

    /// <summary>e.g. <c>17 by n1 in t3 (process 2), 18 by n2 in t4 (process 0)</c>, or <c>-</c>.</summary>
    public static string Describe(IReadOnlyList<ClientOp> writes)
    {
        if (writes.Count == 0)
        {
            return "-";
        }
        var named = writes.Take(NamedMax).Select(op => string.Create(CultureInfo.InvariantCulture,
            $"{op.Value} by {op.AcknowledgedBy ?? op.Node}{(op.Term is { } term ? $" in t{term}" : "")} " +
            $"(process {op.Process})"));
        var rest = writes.Count > NamedMax ? $" and {writes.Count - NamedMax} more" : "";
        return string.Join(", ", named) + rest;
    }
}
