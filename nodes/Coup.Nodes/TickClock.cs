namespace Coup.Nodes;

/// <summary>
/// Turns a node's own monotonic clock readings into whole ticks, the same way in the container
/// host and in the simulator. A clock that jumps forward fires at most <see cref="BurstTicksMax"/>
/// ticks at once (timers expire, as they would), and no more than up to the first one the node acts on
/// (<see cref="Fire"/>); one that jumps back fires none until it catches up.
/// </summary>
public sealed class TickClock(int tickMs, int burstTicksMax)
{
    private double? _lastTickMs;

    public int BurstTicksMax => burstTicksMax;

    /// <summary>How many ticks are due at <paramref name="nowMs"/> on the node's own clock.</summary>
    public int TicksDue(double nowMs)
    {
        if (_lastTickMs is not { } last)
        {
            _lastTickMs = nowMs;
            return 0;
        }
        var sinceMs = nowMs - last;
        // One tick, the common case, told without dividing: a quotient correctly rounded is at least 1 exactly
        // when the dividend is at least the divisor, and below 2 exactly when it is below twice the divisor.
        if (sinceMs >= tickMs && sinceMs < 2.0 * tickMs && burstTicksMax >= 1)
        {
            _lastTickMs = last + tickMs;
            return 1;
        }
        var due = (long)Math.Floor(sinceMs / tickMs);
        if (due <= 0)
        {
            return 0;
        }
        if (due > burstTicksMax)
        {
            _lastTickMs = nowMs;
            return burstTicksMax;
        }
        _lastTickMs = last + due * tickMs;
        return (int)due;
    }

    /// <summary>
    /// Fires the ticks due at <paramref name="nowMs"/>, one <paramref name="tick"/> at a time, and drops the
    /// rest once a tick made the node act (send, persist, announce or answer). The ticks left stand for time
    /// that passed before the timer that fired was handled, and a timer re-armed then runs from now: a node
    /// resumed from a pause campaigns once, not again in the same instant before any vote could come back.
    /// </summary>
    /// <param name="tick">Fires one tick and carries out its Ready; true when the Ready was not empty.</param>
    public void Fire(double nowMs, Func<bool> tick) => Fire(TicksDue(nowMs), tick);

    /// <summary>Fires <paramref name="due"/> ticks as <see cref="Fire(double, Func{bool})"/> does, once
    /// counted.</summary>
    public static void Fire(int due, Func<bool> tick)
    {
        for (; due > 0; due--)
        {
            if (tick())
            {
                return;
            }
        }
    }
}
