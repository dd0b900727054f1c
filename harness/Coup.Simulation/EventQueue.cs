namespace Coup.Simulation;

/// <summary>The simulator's virtual clock: actions run in time order, ties in the order scheduled.</summary>
/// <remarks>
/// A timer that fires again and again (each node's tick) is kept beside the heap, not in it: it takes its
/// sequence number when it is re-armed, as an action that schedules itself again would, so the order of
/// every action is the same as if it were in the heap, without a heap operation or a closure per firing.
/// </remarks>
public sealed class EventQueue
{
    private readonly PriorityQueue<Action, (long TimeNs, long Sequence)> _queue = new();
    private readonly List<RepeatingTimer> _timers = [];
    private long _sequence;
    /// <summary>The timer that fires first, or -1 for none; null once a timer was added, re-armed or removed.</summary>
    private int? _earliestTimer;

    public long NowNs { get; private set; }

    public void At(long timeNs, Action action) => _queue.Enqueue(action, (Math.Max(timeNs, NowNs), _sequence++));

    public void After(long delayNs, Action action) => At(NowNs + delayNs, action);

    /// <summary>
    /// Runs <paramref name="fire"/> after <paramref name="delayNs"/>, then again after each delay it returns, until
    /// it returns null: the same order as an action that calls <see cref="After"/> for itself as its last step.
    /// </summary>
    public void Repeat(long delayNs, Func<long?> fire)
    {
        _timers.Add(new RepeatingTimer
        {
            TimeNs = Math.Max(NowNs + delayNs, NowNs),
            Sequence = _sequence++,
            Fire = fire,
        });
        _earliestTimer = null;
    }

    /// <summary>Runs every action due up to <paramref name="timeNs"/>, then sets the clock there.</summary>
    public void RunUntil(long timeNs)
    {
        while (true)
        {
            var timer = EarliestTimer();
            var queued = _queue.TryPeek(out _, out var due);
            if (timer >= 0 && (!queued || Before(_timers[timer], due)))
            {
                var repeating = _timers[timer];
                if (repeating.TimeNs > timeNs)
                {
                    break;
                }
                NowNs = Math.Max(NowNs, repeating.TimeNs);
                if (repeating.Fire() is { } delayNs)
                {
                    repeating.TimeNs = Math.Max(NowNs + delayNs, NowNs);
                    repeating.Sequence = _sequence++;
                }
                else
                {
                    _timers.RemoveAt(timer);
                }
                _earliestTimer = null;
                continue;
            }
            if (!queued || due.TimeNs > timeNs)
            {
                break;
            }
            var action = _queue.Dequeue();
            NowNs = Math.Max(NowNs, due.TimeNs);
            action();
        }
        NowNs = Math.Max(NowNs, timeNs);
    }

    /// <summary>Asked before every action; the timers change only when one fires or is added.</summary>
    private int EarliestTimer() => _earliestTimer ??= FindEarliestTimer();

    private int FindEarliestTimer()
    {
        var earliest = -1;
        for (var i = 0; i < _timers.Count; i++)
        {
            if (earliest < 0 || Before(_timers[i], (_timers[earliest].TimeNs, _timers[earliest].Sequence)))
            {
                earliest = i;
            }
        }
        return earliest;
    }

    private static bool Before(RepeatingTimer timer, (long TimeNs, long Sequence) due) =>
        timer.TimeNs < due.TimeNs || (timer.TimeNs == due.TimeNs && timer.Sequence < due.Sequence);

    private sealed class RepeatingTimer
    {
        public long TimeNs;
        public long Sequence;
        public required Func<long?> Fire;
    }
}
