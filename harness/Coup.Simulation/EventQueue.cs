using System.Runtime.CompilerServices;

namespace Coup.Simulation;

/// <summary>The simulator's virtual clock: actions run in time order, ties in the order scheduled.</summary>
/// <remarks>
/// A timer that fires again and again (each node's tick) is kept beside the heap, not in it: it takes its
/// sequence number when it is re-armed, as an action that schedules itself again would, so the order of
/// every action is the same as if it were in the heap, without a heap operation or a closure per firing.
/// </remarks>
public sealed class EventQueue
{
    private readonly ActionHeap _queue = new();
    private readonly List<RepeatingTimer> _timers = [];
    private long _sequence;
    /// <summary>The timer that fires first, or -1 for none; null once a timer was added, re-armed or removed.</summary>
    private int? _earliestTimer;

    public long NowNs { get; private set; }

    public void At(long timeNs, Action action) => _queue.Push(Math.Max(timeNs, NowNs), _sequence++, action);

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
            var queued = _queue.TryPeek(out var due);
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
            var action = _queue.Pop();
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

    /// <summary>
    /// A binary min-heap of actions by (time, sequence), the entries kept inline: what
    /// <see cref="PriorityQueue{TElement, TPriority}"/> with a tuple priority does, less its generic comparer (a
    /// heap operation for each of the million and more messages of a simulated hour).
    /// </summary>
    private sealed class ActionHeap
    {
        private Entry[] _entries = new Entry[256];
        private int _count;

        public void Push(long timeNs, long sequence, Action action)
        {
            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _count * 2);
            }
            var entry = new Entry(timeNs, sequence, action);
            var index = _count++;
            while (index > 0)
            {
                var parent = (index - 1) >> 1;
                if (!Less(entry, _entries[parent]))
                {
                    break;
                }
                _entries[index] = _entries[parent];
                index = parent;
            }
            _entries[index] = entry;
        }

        public bool TryPeek(out (long TimeNs, long Sequence) due)
        {
            if (_count == 0)
            {
                due = default;
                return false;
            }
            due = (_entries[0].TimeNs, _entries[0].Sequence);
            return true;
        }

        public Action Pop()
        {
            var action = _entries[0].Action;
            var last = _entries[--_count];
            _entries[_count] = default;
            if (_count > 0)
            {
                var index = 0;
                while (true)
                {
                    var child = 2 * index + 1;
                    if (child >= _count)
                    {
                        break;
                    }
                    if (child + 1 < _count && Less(_entries[child + 1], _entries[child]))
                    {
                        child++;
                    }
                    if (!Less(_entries[child], last))
                    {
                        break;
                    }
                    _entries[index] = _entries[child];
                    index = child;
                }
                _entries[index] = last;
            }
            return action;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Less(in Entry a, in Entry b) =>
            a.TimeNs < b.TimeNs || (a.TimeNs == b.TimeNs && a.Sequence < b.Sequence);

        private readonly record struct Entry(long TimeNs, long Sequence, Action Action);
    }

    private sealed class RepeatingTimer
    {
        public long TimeNs;
        public long Sequence;
        public required Func<long?> Fire;
    }
}
