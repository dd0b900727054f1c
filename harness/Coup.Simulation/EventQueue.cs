namespace Coup.Simulation;

/// <summary>The simulator's virtual clock: actions run in time order, ties in the order scheduled.</summary>
public sealed class EventQueue
{
    private readonly PriorityQueue<Action, (long TimeNs, long Sequence)> _queue = new();
    private long _sequence;

    public long NowNs { get; private set; }

    public void At(long timeNs, Action action) => _queue.Enqueue(action, (Math.Max(timeNs, NowNs), _sequence++));

    public void After(long delayNs, Action action) => At(NowNs + delayNs, action);

    /// <summary>Runs every action due up to <paramref name="timeNs"/>, then sets the clock there.</summary>
    public void RunUntil(long timeNs)
    {
        while (_queue.TryPeek(out _, out var due) && due.TimeNs <= timeNs)
        {
            var action = _queue.Dequeue();
            NowNs = Math.Max(NowNs, due.TimeNs);
            action();
        }
        NowNs = Math.Max(NowNs, timeNs);
    }
}
