using System.Globalization;
using System.Text.Json;

namespace Coup.History;

/// <summary>
/// The rules a history obeys beyond the shape of each line (docs/history.md, "Rules"), checked line
/// by line in order: each value from its field's vocabulary and range, every node one the run-start
/// lists, each completion paired with its invoke, each fault stop with its start, time in order,
/// and no line recorded twice. A history that breaks one is corrupt and is not checked at all.
/// </summary>
internal sealed class HistoryRules
{
    private RunStarted? _run;
    private HashSet<string> _nodes = [];
    private int? _endLine;
    private long _lastTimeNs;
    private readonly Dictionary<int, (ClientOp Invoke, int Line)> _inFlight = [];
    private readonly InvokedValues _invokedValues = new();
    private readonly FaultPairing _faults = new(keepSpans: false);
    /// <summary>
    /// The line before: a line that says the same again is a repeat. Not any earlier line of the same
    /// instant: a node may say A, then B, then A again within one nanosecond of the simulator.
    /// </summary>
    private (HistoryEvent Event, int Line)? _previous;

    /// <summary>What is wrong with <paramref name="historyEvent"/> on line <paramref name="line"/>, or null.</summary>
    public string? Problem(HistoryEvent historyEvent, int line)
    {
        if (_endLine is { } endLine)
        {
            return $"{TypeName(historyEvent)} after run-end (line {endLine}); nothing follows run-end";
        }
        if (_run is null)
        {
            return historyEvent is RunStarted started
                ? RunStartProblem(started)
                : $"the first line must be run-start, got {TypeName(historyEvent)}";
        }
        if (historyEvent.TimeNs < _lastTimeNs)
        {
            return $"time {historyEvent.TimeNs} is before the previous line's {_lastTimeNs}; times never decrease";
        }
        _lastTimeNs = historyEvent.TimeNs;
        if (_previous is { } previous && Repeats(historyEvent, previous.Event))
        {
            return $"repeats line {previous.Line}; each event is recorded once";
        }
        _previous = (historyEvent, line);
        switch (historyEvent)
        {
            case RunStarted:
                return "a second run-start (the first is line 1); a history holds one run";
            case StateObserved state:
                return StateProblem(state);
            case ClientOp op:
                return OpProblem(op, line);
            case FaultEvent fault:
                return FaultProblem(fault);
            case ObserverEvent observer:
                return NodeProblem("node", observer.Node) ?? WordProblem("phase", observer.Phase, ObserverPhases.All);
            case RunEnded end:
                _endLine = line;
                return WordProblem("reason", end.Reason, RunEndReasons.All)
                    ?? (end.HealedNs is { } healed && (healed < 0 || healed > end.TimeNs)
                        ? $"healedNs {healed} is outside the run; expected between 0 and run-end's time {end.TimeNs}"
                        : null);
            default:
                return $"{TypeName(historyEvent)} is not an event the reader knows";
        }
    }

    /// <summary>
    /// Whether two events say the same, written out: only events of one type and one time can, so only
    /// those are serialized and compared.
    /// </summary>
    private static bool Repeats(HistoryEvent historyEvent, HistoryEvent previous) =>
        historyEvent.TimeNs == previous.TimeNs
        && historyEvent.GetType() == previous.GetType()
        && JsonSerializer.Serialize(historyEvent, HistoryJson.Options)
            == JsonSerializer.Serialize(previous, HistoryJson.Options);

    private string? RunStartProblem(RunStarted run)
    {
        if (run.TimeNs != 0)
        {
            return $"run-start's time is {run.TimeNs}; expected 0, the start of the run's clock";
        }
        if (run.Nodes.Count == 0)
        {
            return "nodes is empty; expected the run's nodes";
        }
        var problem = TextProblem("test", run.Test)
            ?? TextProblem("algorithm", run.Algorithm)
            ?? WordProblem("runtime", run.Runtime, Runtimes.All)
            ?? ListProblem("nodes", run.Nodes, name => TextProblem("a node", name))
            ?? ListProblem("nemesis", run.Nemesis, NemesisKinds.Problem)
            ?? PositiveProblem("timeLimitS", run.TimeLimitS)
            ?? PositiveProblem("intervalS", run.IntervalS)
            ?? (run.ObservePeriodMs is { } period ? PositiveProblem("observePeriodMs", period) : null)
            ?? (run.WriteRateHz is { } rate ? PositiveProblem("writeRateHz", rate) : null)
            ?? (run.QuietS is < 0
                ? $"quietS {run.QuietS.Value.ToString(CultureInfo.InvariantCulture)} is negative; expected 0 or more"
                : null);
        _run = run;
        _nodes = [.. run.Nodes];
        return problem;
    }

    private string? StateProblem(StateObserved state) =>
        NodeProblem("node", state.Node)
        ?? WordProblem("role", state.Role, Roles.All)
        ?? NotNegativeProblem("term", state.Term)
        ?? (state.Leader is { } leader ? NodeProblem("leader", leader) : null)
        ?? TextProblem("group", state.Group)
        ?? WordProblem("source", state.Source, StateSources.All)
        ?? (state.LagNs is { } lag ? NotNegativeProblem("lagNs", lag) : null);

    private string? OpProblem(ClientOp op, int line)
    {
        var problem = NotNegativeProblem("process", op.Process)
            ?? WordProblem("phase", op.Phase, OpPhases.All)
            ?? WordProblem("f", op.F, OpFunctions.All)
            ?? NodeProblem("node", op.Node)
            ?? (op.Term is { } term ? NotNegativeProblem("term", term) : null)
            ?? (op.Group is { } group ? TextProblem("group", group) : null);
        if (problem is not null)
        {
            return problem;
        }
        return op.Phase == OpPhases.Invoke ? InvokeProblem(op, line) : CompletionProblem(op);
    }

    private string? InvokeProblem(ClientOp invoke, int line)
    {
        var completionField = invoke switch
        {
            { LatencyNs: not null } => "latencyNs",
            { Term: not null } => "term",
            { Group: not null } => "group",
            { Error: not null } => "error",
            { AcknowledgedBy: not null } => "acknowledgedBy",
            _ => null,
        };
        if (completionField is not null)
        {
            return $"an invoke carries '{completionField}'; only completions do";
        }
        if (_inFlight.TryGetValue(invoke.Process, out var earlier))
        {
            return $"process {invoke.Process} invokes value {invoke.Value} while its value {earlier.Invoke.Value} " +
                $"(line {earlier.Line}) is in flight; a process has one operation in flight";
        }
        if (!_invokedValues.TryAdd(invoke.Value, line, out var earlierLine))
        {
            return $"value {invoke.Value} was already invoked on line {earlierLine}; " +
                "each write's value is new in the run";
        }
        _inFlight[invoke.Process] = (invoke, line);
        return null;
    }

    private string? CompletionProblem(ClientOp completion)
    {
        string What() => $"{completion.Phase} of process {completion.Process} value {completion.Value}";
        if (!_inFlight.TryGetValue(completion.Process, out var inFlight) || inFlight.Invoke.Value != completion.Value)
        {
            var instead = inFlight.Invoke is { } other
                ? $"value {other.Value} (line {inFlight.Line}) is"
                : "nothing is";
            return $"{What()} has no invoke in flight ({instead} in flight for process {completion.Process}); " +
                $"expected an invoke of process {completion.Process} with value {completion.Value} before it";
        }
        var invoke = inFlight.Invoke;
        if (completion.Node != invoke.Node || completion.F != invoke.F)
        {
            return $"{What()} names {completion.F} on {completion.Node}, " +
                $"its invoke (line {inFlight.Line}) {invoke.F} on {invoke.Node}; " +
                "a completion repeats its invoke's node and f";
        }
        if (completion.LatencyNs is { } latency && latency != completion.TimeNs - invoke.TimeNs)
        {
            var sinceInvokeNs = completion.TimeNs - invoke.TimeNs;
            return $"latencyNs {latency} is not the {sinceInvokeNs} ns since its invoke (line {inFlight.Line})";
        }
        if (completion.AcknowledgedBy is { } acknowledgedBy)
        {
            if (completion.Phase != OpPhases.Ok)
            {
                return $"a {completion.Phase} carries 'acknowledgedBy'; only an ok was acknowledged";
            }
            if (acknowledgedBy != ClientOp.UnknownLeader
                && NodeProblem("acknowledgedBy", acknowledgedBy) is { } problem)
            {
                return $"{problem} or {ClientOp.UnknownLeader}";
            }
        }
        _inFlight.Remove(completion.Process);
        return null;
    }

    private string? FaultProblem(FaultEvent fault)
    {
        var problem = WordProblem("phase", fault.Phase, FaultPhases.All)
            ?? WordProblem("kind", fault.Kind, FaultKinds.All)
            ?? ListProblem("targets", fault.Targets, target => NodeProblem("target", target));
        if (problem is not null)
        {
            return problem;
        }
        if (fault.PlannedS is < 0)
        {
            return $"a {fault.Kind} planned at {fault.PlannedS} s; expected 0 or more seconds since the run started";
        }
        var shaped = fault.Links is not null || PacketFigures(fault).Any(f => f is not null);
        if (fault.Kind != FaultKinds.Packet && shaped)
        {
            return $"a {fault.Kind} carries '{(fault.Links is not null ? "links" : "figures of a packet shape")}'; " +
                "only packet faults do";
        }
        if (fault.Kind == FaultKinds.Partition)
        {
            if (PartitionProblem(fault) is { } partition)
            {
                return partition;
            }
        }
        else if (fault.Kind == FaultKinds.Packet && PacketProblem(fault) is { } packet)
        {
            return packet;
        }
        else if (fault.Components is not null || fault.Drops is not null)
        {
            return $"a {fault.Kind} carries '{(fault.Components is not null ? "components" : "drops")}'; " +
                "only partitions do";
        }
        else if (fault.Targets.Count == 0)
        {
            return $"a {fault.Kind} with no targets; expected the nodes it hits";
        }
        if (!_faults.Add(fault))
        {
            var targets = fault.Targets.Count == 0 ? "no node" : string.Join(",", fault.Targets);
            return $"stop of a {fault.Kind} on {targets} that is not in force; " +
                "expected a start of the same kind and targets before it";
        }
        return null;
    }

    private static IEnumerable<int?> PacketFigures(FaultEvent fault) =>
        [fault.LossPercent, fault.DelayMs, fault.JitterMs, fault.DuplicatePercent, fault.ReorderPercent];

    /// <summary>
    /// A packet fault carries its links, each FROM->TO between two of the run's nodes, and its five figures.
    /// </summary>
    private string? PacketProblem(FaultEvent fault)
    {
        if (fault.Links is not { Count: > 0 } links)
        {
            return "a packet fault with no 'links'; expected the links it shapes, each FROM->TO";
        }
        if (links.FirstOrDefault(l => l.Split("->") is not [var from, var to] || from == to) is { } bad)
        {
            return $"link '{bad}' is not FROM->TO between two nodes";
        }
        if (links.SelectMany(l => l.Split("->")).Select(n => NodeProblem("a link's node", n))
            .FirstOrDefault(p => p is not null) is { } stranger)
        {
            return stranger;
        }
        if (PacketFigures(fault).Any(f => f is null))
        {
            return "a packet fault without all of lossPercent, delayMs, jitterMs, duplicatePercent, reorderPercent";
        }
        return PacketFigures(fault).Any(f => f < 0)
            ? "a packet fault with a negative figure; expected 0 or more"
            : null;
    }

    /// <summary>A partition carries exactly one of 'components' (symmetric) and 'drops' (directed).</summary>
    private string? PartitionProblem(FaultEvent fault)
    {
        if (fault is { Components: not null, Drops: not null })
        {
            return "a partition carries both 'components' and 'drops'; expected one of them";
        }
        if (fault.Drops is { } drops)
        {
            if (drops.Count == 0 || drops.Values.Any(senders => senders.Count == 0))
            {
                return "a partition with empty 'drops'; expected each node that drops mapped to the senders it drops";
            }
            return drops.Keys.Select(n => NodeProblem("a dropping node", n))
                .Concat(drops.Values.SelectMany(s => s).Select(n => NodeProblem("a dropped sender", n)))
                .FirstOrDefault(p => p is not null);
        }
        if (fault.Components is not { Count: >= 2 } components)
        {
            return $"a partition with {fault.Components?.Count ?? 0} components; " +
                "expected 'components', 2 or more lists of nodes that still reach each other, or 'drops'";
        }
        return components.SelectMany(c => c).Select(n => NodeProblem("a component's node", n))
            .FirstOrDefault(p => p is not null);
    }

    private string? NodeProblem(string field, string node) =>
        _nodes.Contains(node)
            ? null
            : $"{field} '{node}' is not one of the run's nodes ({string.Join(", ", _run!.Nodes)})";

    private static string? WordProblem(string field, string value, IReadOnlyList<string> vocabulary) =>
        vocabulary.Contains(value) ? null : $"{field} '{value}' is not one of {string.Join(", ", vocabulary)}";

    private static string? TextProblem(string field, string value) =>
        string.IsNullOrWhiteSpace(value)
            ? $"{field} is {(value.Length == 0 ? "empty" : "blank")}; expected a name"
            : null;

    private static string? NotNegativeProblem(string field, long value) =>
        value < 0 ? $"{field} {value} is negative; expected 0 or more" : null;

    private static string? PositiveProblem(string field, double value) =>
        value > 0
            ? null
            : $"{field} {value.ToString(CultureInfo.InvariantCulture)} is not positive; expected more than 0";

    private static string? ListProblem(string field, IReadOnlyList<string> items, Func<string, string?> itemProblem) =>
        items.Select(itemProblem).FirstOrDefault(p => p is not null)
        ?? items.GroupBy(i => i, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{field} lists '{g.Key}' twice; expected each once")
            .FirstOrDefault();

    private static string TypeName(HistoryEvent historyEvent) => historyEvent switch
    {
        RunStarted => "a run-start line",
        StateObserved => "a state line",
        ClientOp => "an op line",
        FaultEvent => "a fault line",
        ObserverEvent => "an observer line",
        RunEnded => "a run-end line",
        _ => "an unknown line",
    };
}
