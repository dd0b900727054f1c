using Coup.Checkers;
using Coup.History;

namespace Coup.Reports;

/// <summary>
/// What a run's report draws, folded from its history one event at a time, so a report never holds
/// the history: memory grows with what changes (roles, terms, faults), with the run's seconds and with
/// the plot's width, not with the number of writes or observations.
/// </summary>
/// <remarks>
/// <see cref="Changes"/> is the history less what cannot change a drawing: a node's report that repeats its
/// word (group, role, term, leader) since its last kept one and no kill of it came between, and every
/// client operation. The report's rules (<see cref="Intervals"/>, <see cref="LeadershipTimeline"/>) read
/// it as they read the whole history, and give the same answers. The client operations are counted per
/// second and outcome (<see cref="CompletionsPerSecond"/>); the writes each anomaly names are kept up to
/// what the report names (<see cref="WritesIn"/>); clock readings are thinned to each node's lowest and
/// highest offset per slice of the run, a few per pixel column of the plot.
/// </remarks>
public sealed class ReportSummary
{
    /// <summary>Slices of the expected run (time limit and quiet period): the clock plot keeps three readings of
    /// each.</summary>
    public const int ClockSlices = 2000;

    private readonly List<HistoryEvent> _changes = [];
    private readonly Dictionary<string, StateObserved> _lastWord = [];
    private readonly Dictionary<string, List<int>> _completions = [];
    private readonly Dictionary<string, List<ClockReading>> _clock = [];
    private readonly List<double> _lagsMs = [];
    private readonly AnomalyWriteCollector _anomalyWrites;
    private readonly long _clockSliceNs;
    private readonly long _startMs;
    private HistoryEvent? _last;
    private bool _lastKept;

    private ReportSummary(RunStarted run, IEnumerable<Anomaly> anomalies)
    {
        Run = run;
        _startMs = run.StartedAt.ToUnixTimeMilliseconds();
        var expectedS = run.TimeLimitS + (run.QuietS ?? 0);
        _clockSliceNs = Math.Max(1, (long)(expectedS * 1e9 / ClockSlices));
        _anomalyWrites = new AnomalyWriteCollector(anomalies);
        EventCount = 1;
        Keep(run);
    }

    public RunStarted Run { get; }

    /// <summary>The history less what cannot change a drawing (see the remarks); a <see cref="RunHistory"/>
    /// the report's rules read as they would the whole one.</summary>
    public RunHistory Changes { get; private set; } = null!;

    /// <summary>Every event the history holds, the kept and the folded.</summary>
    public long EventCount { get; private set; }

    /// <summary>Client completions in each second of the run, per outcome (ok, fail, info, or refused: a node
    /// not leading said so).</summary>
    public IReadOnlyDictionary<string, List<int>> CompletionsPerSecond => _completions;

    /// <summary>Each node's clock readings, thinned (see the remarks), in time order.</summary>
    public IReadOnlyDictionary<string, List<ClockReading>> ClockReadings => _clock;

    /// <summary>Every polled observation's lag, in ms, in order.</summary>
    public IReadOnlyList<double> LagsMs => _lagsMs;

    /// <summary>The outcome a completion is counted under: a refusal by a node not leading is the client's
    /// miss.</summary>
    public static string OutcomeOf(ClientOp op) => OpErrors.IsNotLeader(op) ? Refused : op.Phase;

    public const string Refused = "refused";

    /// <summary>The writes <paramref name="anomaly"/> names (<see cref="AnomalyWrites"/>): the first few and how
    /// many there are in all.</summary>
    public (IReadOnlyList<ClientOp> Named, int Count) WritesIn(Anomaly anomaly) => _anomalyWrites.Of(anomaly);

    /// <summary>Reads the history at <paramref name="path"/> one event at a time.</summary>
    public static ReportSummary Read(string path, Results results)
    {
        using var reader = HistoryReader.Open(path);
        if (!reader.TryRead(out var first))
        {
            throw new HistoryFormatException($"{path}: the history is empty");
        }
        var summary = new ReportSummary((RunStarted)first, results.Anomalies);
        foreach (var historyEvent in reader.ReadAhead())
        {
            summary.Observe(historyEvent);
        }
        summary.Finish(reader.TornLine);
        return summary;
    }

    /// <summary>The summary of a history already in memory (tests, and callers that hold one).</summary>
    public static ReportSummary Of(RunHistory history, Results results)
    {
        var summary = new ReportSummary(history.Run, results.Anomalies);
        foreach (var historyEvent in history.Events.Skip(1))
        {
            summary.Observe(historyEvent);
        }
        summary.Finish(history.TornLine);
        return summary;
    }

    private void Observe(HistoryEvent historyEvent)
    {
        EventCount++;
        _last = historyEvent;
        _lastKept = false;
        switch (historyEvent)
        {
            case StateObserved state:
                ObserveState(state);
                break;
            case ClientOp op:
                if (op.Phase != OpPhases.Invoke)
                {
                    Count(op);
                    _anomalyWrites.Observe(op);
                }
                break;
            case FaultEvent { Phase: "start", Kind: FaultKinds.Kill } kill:
                // A killed node's next report starts a new interval, whatever it says.
                foreach (var node in kill.Targets)
                {
                    _lastWord.Remove(node);
                }
                Keep(kill);
                break;
            default:
                Keep(historyEvent);
                break;
        }
    }

    private void ObserveState(StateObserved state)
    {
        if (state.LagNs is { } lagNs)
        {
            _lagsMs.Add(lagNs / 1e6);
        }
        if (state.NodeWallMs is { } wallMs)
        {
            Thin(state.Node, new ClockReading(state.TimeNs, wallMs - (_startMs + state.TimeNs / 1e6)));
        }
        if (_lastWord.TryGetValue(state.Node, out var word) && word.Group == state.Group && word.Role == state.Role
            && word.Term == state.Term && word.Leader == state.Leader)
        {
            return;
        }
        _lastWord[state.Node] = state;
        Keep(state);
    }

    private void Count(ClientOp op)
    {
        var outcome = OutcomeOf(op);
        if (!_completions.TryGetValue(outcome, out var perSecond))
        {
            _completions[outcome] = perSecond = [];
        }
        var second = (int)Math.Max(0, op.TimeNs / 1_000_000_000);
        while (perSecond.Count <= second)
        {
            perSecond.Add(0);
        }
        perSecond[second]++;
    }

    /// <summary>Keeps, per slice of the run, a node's first reading, then its lowest and highest offsets.</summary>
    private void Thin(string node, ClockReading reading)
    {
        if (!_clock.TryGetValue(node, out var readings))
        {
            _clock[node] = readings = [];
        }
        var slice = reading.TimeNs / _clockSliceNs;
        var firstOfSlice = readings.FindLastIndex(r => r.TimeNs / _clockSliceNs != slice) + 1;
        var inSlice = readings.Count - firstOfSlice;
        if (inSlice < 3)
        {
            readings.Add(reading);
            return;
        }
        // Slots: the first reading, the lowest and the highest after it, in time order.
        var (a, b) = (readings[firstOfSlice + 1], readings[firstOfSlice + 2]);
        var low = a.OffsetMs <= b.OffsetMs ? a : b;
        var high = a.OffsetMs <= b.OffsetMs ? b : a;
        if (reading.OffsetMs < low.OffsetMs)
        {
            low = reading;
        }
        else if (reading.OffsetMs > high.OffsetMs)
        {
            high = reading;
        }
        else
        {
            return;
        }
        (readings[firstOfSlice + 1], readings[firstOfSlice + 2]) =
            low.TimeNs <= high.TimeNs ? (low, high) : (high, low);
    }

    private void Keep(HistoryEvent historyEvent)
    {
        _changes.Add(historyEvent);
        _lastKept = true;
    }

    private void Finish(int? tornLine)
    {
        // The history's last event sets the end of a cut-short run: keep it, whatever it is.
        if (_last is not null && !_lastKept)
        {
            _changes.Add(_last);
        }
        _lagsMs.Sort();
        Changes = new RunHistory
        {
            Run = Run,
            Events = _changes,
            End = _changes[^1] as RunEnded,
            TornLine = tornLine,
        };
    }
}

/// <summary>A node's clock offset from the controller's at <see cref="TimeNs"/>, in ms.</summary>
public readonly record struct ClockReading(long TimeNs, double OffsetMs);
