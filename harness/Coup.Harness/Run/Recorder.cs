using System.Diagnostics;
using Coup.History;

namespace Coup.Harness.Run;

/// <summary>
/// Stamps events with the controller's monotonic clock (ns since the run started) and appends
/// them to the history as they arrive. The clock is injected so the simulator can use its own.
/// </summary>
public sealed class Recorder(HistoryWriter writer, Func<long> nowNs) : IDisposable
{
    public static Func<long> MonotonicSince(Stopwatch stopwatch) =>
        () => (long)(stopwatch.ElapsedTicks * (1e9 / Stopwatch.Frequency));

    public long NowNs => nowNs();
    public int Count => writer.Count;

    /// <summary>
    /// Records an event built for the current instant and returns it. Stamping and appending happen
    /// under one lock, so times in the file never go backwards.
    /// </summary>
    public T Record<T>(Func<long, T> build) where T : HistoryEvent => Record(build, static (t, build) => build(t));

    /// <summary>
    /// <see cref="Record{T}(Func{long, T})"/> with what the event is built from passed in, so that a static
    /// <paramref name="build"/> takes no closure (the workload records two events a write).
    /// </summary>
    public T Record<TState, T>(TState state, Func<long, TState, T> build) where T : HistoryEvent
    {
        // On the writer, not this recorder: a run's recorders share it, and its times must not go backwards.
        lock (writer)
        {
            var historyEvent = build(nowNs(), state);
            writer.Append(historyEvent);
            return historyEvent;
        }
    }

    public void Dispose() => writer.Dispose();
}
