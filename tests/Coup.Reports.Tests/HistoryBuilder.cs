using Coup.History;

namespace Coup.Reports.Tests;

/// <summary>Builds a history in time order, in seconds, the way the recorder would have written it.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<HistoryEvent> _events = [];
    private readonly RunStarted _run;
    private int _nextValue;

    public HistoryBuilder(IReadOnlyList<string> nodes, IReadOnlyList<string> nemesis, string test = "sample")
    {
        _run = new RunStarted
        {
            TimeNs = 0,
            Test = test,
            Algorithm = "raft",
            Runtime = "sim",
            Nodes = nodes,
            Seed = 42,
            Nemesis = nemesis,
            TimeLimitS = 60,
            IntervalS = 10,
            StartedAt = StartedAt,
        };
        _events.Add(_run);
    }

    public static DateTimeOffset StartedAt { get; } = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static long Ns(double seconds) => (long)Math.Round(seconds * 1e9);

    /// <summary>
    /// A state report; <paramref name="skewMs"/> set means the node reported its wall clock that far off.
    /// </summary>
    public HistoryBuilder State(
        double atS, string node, string role, long term, string? leader = null, double? skewMs = null)
    {
        var timeNs = Ns(atS);
        return Add(new StateObserved
        {
            TimeNs = timeNs,
            Node = node,
            Role = role,
            Term = term,
            Leader = leader ?? (role == Roles.Leader ? node : null),
            NodeWallMs = skewMs is { } skew
                ? StartedAt.ToUnixTimeMilliseconds() + (long)Math.Round(timeNs / 1e6 + skew)
                : null,
        });
    }

    /// <summary>A fault; a partition cuts its targets off from the other nodes, as the recorder writes it.</summary>
    public HistoryBuilder Fault(double atS, string phase, string kind, params string[] targets) =>
        Add(new FaultEvent
        {
            TimeNs = Ns(atS),
            Phase = phase,
            Kind = kind,
            Targets = targets,
            Detail = $"{kind} {string.Join(" ", targets)}",
            Components = kind == FaultKinds.Partition ? [targets, [.. _run.Nodes.Except(targets)]] : null,
        });

    /// <summary>An invoke at <paramref name="atS"/> and its completion <paramref name="latencyMs"/> later.</summary>
    public HistoryBuilder Write(
        double atS, int process, string node, string outcome, double latencyMs, long? term = null)
    {
        var value = _nextValue++;
        Add(new ClientOp { TimeNs = Ns(atS), Process = process, Phase = OpPhases.Invoke, Node = node, Value = value });
        return Add(new ClientOp
        {
            TimeNs = Ns(atS + latencyMs / 1000),
            Process = process,
            Phase = outcome,
            Node = node,
            Value = value,
            LatencyNs = Ns(latencyMs / 1000),
            Term = outcome == OpPhases.Ok ? term : null,
        });
    }

    public RunHistory Build(double endS, double? healedS = null)
    {
        var end = new RunEnded
        {
            TimeNs = Ns(endS),
            Reason = "time-limit",
            HealedNs = healedS is { } healed ? Ns(healed) : null,
        };
        // Sorted as the recorder stamps them; the sort is stable, so events at equal times keep their order.
        return new RunHistory { Run = _run, Events = [.. _events.OrderBy(e => e.TimeNs), end], End = end };
    }

    private HistoryBuilder Add(HistoryEvent historyEvent)
    {
        _events.Add(historyEvent);
        return this;
    }
}
