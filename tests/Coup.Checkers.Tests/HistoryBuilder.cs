using Coup.History;

namespace Coup.Checkers.Tests;

/// <summary>
/// Builds small histories in a few lines. Times are in milliseconds since the run started and may
/// be given out of order: events are sorted by time (stably) when the history is built.
/// </summary>
public sealed class HistoryBuilder
{
    private readonly List<HistoryEvent> _events = [];
    private readonly IReadOnlyList<string> _nodes;
    private long _values;

    /// <param name="exclusiveGroups">False for runs whose nodes speak
    /// for several groups at once (a broker's partitions).</param>
    /// <param name="clients">The client count the run-start
    /// records; null leaves it out, as older histories do.</param>
    public HistoryBuilder(int nodes = 5, bool exclusiveGroups = true, int? clients = null)
    {
        _nodes = [.. Enumerable.Range(1, nodes).Select(i => $"n{i}")];
        _events.Add(new RunStarted
        {
            TimeNs = 0,
            Test = "test",
            Algorithm = "raft",
            Runtime = "sim",
            Nodes = _nodes,
            Seed = 1,
            Nemesis = [],
            TimeLimitS = 60,
            IntervalS = 10,
            StartedAt = DateTimeOffset.UnixEpoch,
            ExclusiveGroups = exclusiveGroups ? null : false,
            Clients = clients,
        });
    }

    public static long Ns(double ms) => (long)Math.Round(ms * 1_000_000);

    /// <summary>
    /// <paramref name="leader"/> claims <paramref name="term"/>
    /// and the followers (by default every other node) report it.
    /// </summary>
    public HistoryBuilder Elected(
        double ms, string leader, long term, IEnumerable<string>? followers = null, string group = "default")
    {
        State(ms, leader, Roles.Leader, term, leader, group);
        foreach (var node in followers ?? _nodes.Where(n => n != leader))
        {
            State(ms, node, Roles.Follower, term, leader, group);
        }
        return this;
    }

    public HistoryBuilder State(
        double ms, string node, string role, long term, string? leader = null, string group = "default")
    {
        _events.Add(new StateObserved
        {
            TimeNs = Ns(ms),
            Node = node,
            Role = role,
            Term = term,
            Leader = leader,
            Group = group,
        });
        return this;
    }

    public HistoryBuilder Leader(double ms, string node, long term) => State(ms, node, Roles.Leader, term, node);

    public HistoryBuilder Fault(double ms, string phase, string kind, params string[] targets)
    {
        _events.Add(new FaultEvent { TimeNs = Ns(ms), Phase = phase, Kind = kind, Targets = targets });
        return this;
    }

    /// <summary>
    /// A write invoked at <paramref name="invokeMs"/> and acknowledged by <paramref name="node"/> in
    /// <paramref name="term"/>, or, for a real system that forwards writes, by <paramref name="acknowledgedBy"/>.
    /// </summary>
    public HistoryBuilder Write(
        double invokeMs, double okMs, string node, long term, int process = 0, string? acknowledgedBy = null) =>
        Op(invokeMs, okMs, OpPhases.Ok, node, term, process, acknowledgedBy);

    /// <summary>
    /// A write invoked at <paramref name="invokeMs"/> that completed with <paramref name="phase"/>; a term only on ok.
    /// </summary>
    public HistoryBuilder Op(
        double invokeMs, double doneMs, string phase, string node,
        long? term = null, int process = 0, string? acknowledgedBy = null, string? error = null)
    {
        var value = ++_values;
        _events.Add(new ClientOp
        {
            TimeNs = Ns(invokeMs),
            Process = process,
            Phase = OpPhases.Invoke,
            Node = node,
            Value = value,
        });
        _events.Add(new ClientOp
        {
            TimeNs = Ns(doneMs),
            Process = process,
            Phase = phase,
            Node = node,
            Value = value,
            Term = term,
            LatencyNs = Ns(doneMs - invokeMs),
            AcknowledgedBy = acknowledgedBy,
            Error = error,
        });
        return this;
    }

    /// <summary>
    /// The history, ending at <paramref name="endMs"/> with a run-end line, or cut short (no run-end) when it is null.
    /// </summary>
    public RunHistory Build(double? endMs = null, double? healedMs = null)
    {
        var events = _events.OrderBy(e => e.TimeNs).ToList();
        RunEnded? end = null;
        if (endMs is { } ms)
        {
            end = new RunEnded { TimeNs = Ns(ms), Reason = "time-limit", HealedNs = healedMs is { } h ? Ns(h) : null };
            events.Add(end);
        }
        return new RunHistory { Run = (RunStarted)events[0], Events = events, End = end };
    }
}
