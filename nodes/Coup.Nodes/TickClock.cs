namespace Coup.Nodes;

/// <summary>
/// Turns a node's own monotonic clock readings into whole ticks, the same way in the container
/// host and in the simulator. A clock that jumps forward fires at most <see cref="BurstTicksMax"/>
/// ticks at once (timers expire, as they would); one that jumps back fires none until it catches up.
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
        var due = (long)Math.Floor((nowMs - last) / tickMs);
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
}
