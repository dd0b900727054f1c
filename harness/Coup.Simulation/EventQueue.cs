using System.Runtime.CompilerServices;

namespace Coup.Simulation;

/// <summary>The simulator's virtual clock: actions run in time order, ties in the order scheduled.</summary>
/// <remarks>
/// A timer that fires again and again (each node's tick) is kept beside the heap, not in it: it takes its
/// sequence number when it is re-armed, as an action that schedules itself again would, so the order of
/// every action is the same as if it were in the heap, without a heap operation or a closure per firing.
/// Actions that all wait the same time (<see cref="DelayLine"/>) queue beside it too, first in, first out.
/// </remarks>
public sealed class EventQueue
{
    private const int NoTimer = -1;
    private const int EarliestUnknown = -2;

    private readonly ActionHeap _queue = new();
    private RepeatingTimer[] _timers = new RepeatingTimer[8];
    private int _timerCount;
    private long _sequence;
    /// <summary>The timer that fires first, <see cref="NoTimer"/>, or <see cref="EarliestUnknown"/> once a timer
    /// was added, re-armed or removed.</summary>
    private int _earliestTimer = EarliestUnknown;
    private DelayLine[] _lines = [];

    public long NowNs { get; private set; }

    public void At(long timeNs, Action action) => _queue.Push(Math.Max(timeNs, NowNs), _sequence++, action);

    public void After(long delayNs, Action action) => At(NowNs + delayNs, action);

    /// <summary>
    /// Runs <paramref name="fire"/> after <paramref name="delayNs"/>, then again after each delay it returns, until
    /// it returns null: the same order as an action that calls <see cref="After"/> for itself as its last step.
    /// </summary>
    public void Repeat(long delayNs, Func<long?> fire)
    {
        if (_timerCount == _timers.Length)
        {
            Array.Resize(ref _timers, _timerCount * 2);
        }
        _timers[_timerCount++] = new RepeatingTimer
        {
            TimeNs = Math.Max(NowNs + delayNs, NowNs),
            Sequence = _sequence++,
            Fire = fire,
        };
        _earliestTimer = EarliestUnknown;
    }

    /// <summary>
    /// A lane for actions that all wait <paramref name="delayNs"/>: see <see cref="DelayLine"/>.
    /// </summary>
    public DelayLine Line(long delayNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        var line = new DelayLine(this, delayNs);
        _lines = [.. _lines, line];
        return line;
    }

    /// <summary>Runs every action due up to <paramref name="timeNs"/>, then sets the clock there.</summary>
    public void RunUntil(long timeNs)
    {
        while (true)
        {
            var timer = EarliestTimer();
            var queued = TryPeekAction(out var dueNs, out var dueSequence, out var line);
            if (timer != NoTimer && (!queued || Before(_timers[timer], dueNs, dueSequence)))
            {
                ref var repeating = ref _timers[timer];
                if (repeating.TimeNs > timeNs)
                {
                    break;
                }
                NowNs = Math.Max(NowNs, repeating.TimeNs);
                if (repeating.Fire() is { } delayNs)
                {
                    // The timer array may have grown while it fired (a boot adds a timer).
                    ref var rearmed = ref _timers[timer];
                    rearmed.TimeNs = Math.Max(NowNs + delayNs, NowNs);
                    rearmed.Sequence = _sequence++;
                }
                else
                {
                    RemoveTimer(timer);
                }
                _earliestTimer = EarliestUnknown;
                continue;
            }
            if (!queued || dueNs > timeNs)
            {
                break;
            }
            var action = line is null ? _queue.Pop() : line.Pop();
            NowNs = Math.Max(NowNs, dueNs);
            action();
        }
        NowNs = Math.Max(NowNs, timeNs);
    }

    /// <summary>The earliest action of the heap and the delay lines; <paramref name="line"/> is null when it is the
    /// heap's.</summary>
    private bool TryPeekAction(out long dueNs, out long dueSequence, out DelayLine? line)
    {
        var queued = _queue.TryPeek(out dueNs, out dueSequence);
        line = null;
        foreach (var candidate in _lines)
        {
            if (candidate.TryPeek(out var lineNs, out var lineSequence)
                && (!queued || Earlier(lineNs, lineSequence, dueNs, dueSequence)))
            {
                (queued, dueNs, dueSequence, line) = (true, lineNs, lineSequence, candidate);
            }
        }
        return queued;
    }

    /// <summary>Removes a timer, keeping the others in the order they were added.</summary>
    private void RemoveTimer(int timer)
    {
        _timerCount--;
        Array.Copy(_timers, timer + 1, _timers, timer, _timerCount - timer);
        _timers[_timerCount] = default;
    }

    /// <summary>Asked before every action; the timers change only when one fires or is added.</summary>
    private int EarliestTimer() =>
        _earliestTimer != EarliestUnknown ? _earliestTimer : _earliestTimer = FindEarliestTimer();

    private int FindEarliestTimer()
    {
        var earliest = NoTimer;
        for (var i = 0; i < _timerCount; i++)
        {
            if (earliest == NoTimer || Before(_timers[i], _timers[earliest].TimeNs, _timers[earliest].Sequence))
            {
                earliest = i;
            }
        }
        return earliest;
    }

    private static bool Before(in RepeatingTimer timer, long timeNs, long sequence) =>
        Earlier(timer.TimeNs, timer.Sequence, timeNs, sequence);

    /// <summary>The order of every action: by time, ties in the order scheduled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Earlier(long timeNs, long sequence, long otherNs, long otherSequence) =>
        timeNs < otherNs || (timeNs == otherNs && sequence < otherSequence);

    /// <summary>
    /// A binary min-heap of actions by (time, sequence): what <see cref="PriorityQueue{TElement, TPriority}"/> with
    /// a tuple priority does, less its generic comparer (a heap operation for each of the million and more messages
    /// of a simulated hour). The entries hold a slot number, not the action, so moving them stores no reference
    /// (a reference stored in the heap costs a GC write barrier); the actions wait in their slots.
    /// </summary>
    private sealed class ActionHeap
    {
        private Entry[] _entries = new Entry[256];
        private int _count;
        private Action?[] _actions = new Action?[256];
        /// <summary>Slots of <see cref="_actions"/> free to take again, <see cref="_freeCount"/> of them.</summary>
        private int[] _freeSlots = new int[256];
        private int _freeCount;
        private int _slotsUsed;

        public void Push(long timeNs, long sequence, Action action)
        {
            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _count * 2);
            }
            var entry = new Entry(timeNs, sequence, TakeSlot(action));
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryPeek(out long timeNs, out long sequence)
        {
            if (_count == 0)
            {
                (timeNs, sequence) = (0, 0);
                return false;
            }
            (timeNs, sequence) = (_entries[0].TimeNs, _entries[0].Sequence);
            return true;
        }

        public Action Pop()
        {
            var action = GiveBackSlot(_entries[0].Slot);
            var last = _entries[--_count];
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

        private int TakeSlot(Action action)
        {
            int slot;
            if (_freeCount > 0)
            {
                slot = _freeSlots[--_freeCount];
            }
            else
            {
                if (_slotsUsed == _actions.Length)
                {
                    Array.Resize(ref _actions, _slotsUsed * 2);
                    Array.Resize(ref _freeSlots, _slotsUsed * 2);
                }
                slot = _slotsUsed++;
            }
            _actions[slot] = action;
            return slot;
        }

        private Action GiveBackSlot(int slot)
        {
            var action = _actions[slot]!;
            _actions[slot] = null;
            _freeSlots[_freeCount++] = slot;
            return action;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Less(in Entry a, in Entry b) => Earlier(a.TimeNs, a.Sequence, b.TimeNs, b.Sequence);

        private readonly record struct Entry(long TimeNs, long Sequence, int Slot);
    }

    /// <summary>
    /// Actions that all wait the same time (every write's timeout): each is due no earlier than the one scheduled
    /// before it, so they queue first in, first out, beside the heap and in the order they would run in it. The
    /// heap then holds only what waits a time of its own (messages, replies), a few entries instead of the
    /// hundred and more timeouts of the writes in flight, which every push and pop walked through.
    /// </summary>
    public sealed class DelayLine
    {
        private readonly EventQueue _clock;
        private readonly long _delayNs;
        private readonly Queue<Entry> _entries = new();

        internal DelayLine(EventQueue clock, long delayNs) => (_clock, _delayNs) = (clock, delayNs);

        /// <summary>Runs <paramref name="action"/> once the line's delay has passed.</summary>
        public void After(Action action) =>
            _entries.Enqueue(new Entry(_clock.NowNs + _delayNs, _clock._sequence++, action));

        internal bool TryPeek(out long timeNs, out long sequence)
        {
            var queued = _entries.TryPeek(out var first);
            (timeNs, sequence) = (first.TimeNs, first.Sequence);
            return queued;
        }

        internal Action Pop() => _entries.Dequeue().Action;

        private readonly record struct Entry(long TimeNs, long Sequence, Action Action);
    }

    private struct RepeatingTimer
    {
        public long TimeNs;
        public long Sequence;
        public Func<long?> Fire;
    }
}
