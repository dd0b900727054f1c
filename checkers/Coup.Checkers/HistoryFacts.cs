using Coup.History;

namespace Coup.Checkers;

/// <summary>
/// What the evidence rule (<see cref="Checks.Evidence"/>) asks of a history, gathered in the same
/// pass as the checks: who reported, whether anyone claimed or any client ran, each fault's span,
/// whose observation was lost at the end, and how the run ended. Kept once for all checkers.
/// </summary>
public sealed class HistoryFacts(RunStarted run)
{
    private readonly HashSet<string> _reported = [];
    private readonly FaultPairing _faults = new();
    private readonly Dictionary<string, long> _lostAtNs = [];

    public RunStarted Run { get; } = run;
    /// <summary>Null when the history was cut short.</summary>
    public RunEnded? End { get; private set; }
    /// <summary>The end of the history: run-end's time, or the last line's when cut short.</summary>
    public long EndNs { get; private set; }
    /// <summary>The nodes that reported at least one state.</summary>
    public IReadOnlySet<string> Reported => _reported;
    public bool AnyClaim { get; private set; }
    public bool AnyOp { get; private set; }
    /// <summary>Each fault start with the stop that ended it, in the order they started (<see cref="FaultPairing"/>).
    /// </summary>
    public IReadOnlyList<FaultSpan> FaultSpans => _faults.Spans;
    /// <summary>
    /// Nodes whose observation was lost (an <c>observer</c> <c>down</c>) and then neither came back
    /// (<c>up</c>) nor were heard from (a <c>state</c>), with when it was lost.
    /// </summary>
    public IReadOnlyDictionary<string, long> LostAtNs => _lostAtNs;

    public void Observe(HistoryEvent historyEvent)
    {
        EndNs = historyEvent.TimeNs;
        switch (historyEvent)
        {
            case ClientOp:
                AnyOp = true;
                break;
            case StateObserved state:
                _reported.Add(state.Node);
                AnyClaim |= state.IsLeader;
                _lostAtNs.Remove(state.Node);
                break;
            case FaultEvent fault:
                _faults.Add(fault);
                break;
            case ObserverEvent { Phase: ObserverPhases.Down } down:
                _lostAtNs.TryAdd(down.Node, down.TimeNs);
                break;
            case ObserverEvent { Phase: ObserverPhases.Up } up:
                _lostAtNs.Remove(up.Node);
                break;
            case RunEnded end:
                End = end;
                break;
        }
    }
}
