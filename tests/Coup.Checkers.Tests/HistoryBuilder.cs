using Coup.Checkers.History;

namespace Coup.Checkers.Tests;

/// <summary>Builds small histories in a few lines: times are in milliseconds since the run started.</summary>
public sealed class HistoryBuilder
{
    private readonly List<HistoryEvent> _events = [];
    private readonly IReadOnlyList<string> _nodes;

    public HistoryBuilder(int nodes = 5)
    {
        _nodes = [.. Enumerable.Range(1, nodes).Select(i => $"n{i}")];
        _events.Add(new RunStarted
        {
            TimeNs = 0, Test = "test", Algorithm = "raft", Runtime = "sim", Nodes = _nodes, Seed = 1, Nemesis = [],
            TimeLimitS = 60, IntervalS = 10, StartedAt = DateTimeOffset.UnixEpoch,
        });
    }

    private static long Ns(double ms) => (long)(ms * 1_000_000);

    /// <summary>Every node reports <paramref name="leader"/> leading <paramref name="term"/>; the leader itself claims it.</summary>
    public HistoryBuilder Elected(double ms, string leader, long term, IEnumerable<string>? followers = null)
    {
        State(ms, leader, Roles.Leader, term, leader);
        foreach (var node in followers ?? _nodes.Where(n => n != leader))
        {
            State(ms, node, Roles.Follower, term, leader);
        }
        return this;
    }

    public HistoryBuilder State(double ms, string node, string role, long term, string? leader = null)
    {
        _events.Add(new StateObserved { TimeNs = Ns(ms), Node = node, Role = role, Term = term, Leader = leader });
        return this;
    }

    public HistoryBuilder Fault(double ms, string phase, string kind, params string[] targets)
    {
        _events.Add(new FaultEvent { TimeNs = Ns(ms), Phase = phase, Kind = kind, Targets = targets });
        return this;
    }

    /// <summary>A write invoked at <paramref name="invokeMs"/> and acknowledged by <paramref name="node"/> in <paramref name="term"/>.</summary>
    public HistoryBuilder Write(double invokeMs, double okMs, string node, long term, int process = 0)
    {
        var value = _events.OfType<ClientOp>().Count() + 1;
        _events.Add(new ClientOp { TimeNs = Ns(invokeMs), Process = process, Phase = OpPhases.Invoke, Node = node, Value = value });
        _events.Add(new ClientOp { TimeNs = Ns(okMs), Process = process, Phase = OpPhases.Ok, Node = node, Value = value, Term = term, LatencyNs = Ns(okMs - invokeMs) });
        return this;
    }

    public History.History Build(double? endMs = null, double? healedMs = null)
    {
        var events = _events.OrderBy(e => e.TimeNs).ToList();
        RunEnded? end = null;
        if (endMs is { } ms)
        {
            end = new RunEnded { TimeNs = Ns(ms), Reason = "time-limit", HealedNs = healedMs is { } h ? Ns(h) : null };
            events.Add(end);
        }
        return new History.History { Run = (RunStarted)events[0], Events = events, End = end };
    }
}
