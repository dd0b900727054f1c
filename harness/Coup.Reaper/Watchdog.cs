namespace Coup.Reaper;

/// <summary>
/// Decides when the reaper sweeps, from the connections it has seen; time is given, never read.
/// While a connection is open, never. Once the last one closed, after the grace period (a
/// connection opened meanwhile cancels it). If none ever came, after the connect timeout: the
/// harness died between starting the reaper and connecting to it.
/// </summary>
public sealed class Watchdog(TimeSpan grace, TimeSpan connectTimeout)
{
    private int _open;
    private TimeSpan? _lastClosedAt;

    public void Opened() => _open++;

    public void Closed(TimeSpan now)
    {
        if (_open == 0)
        {
            throw new InvalidOperationException("a connection closed that was never opened");
        }
        _open--;
        _lastClosedAt = now;
    }

    /// <summary>The time since the reaper started at which it sweeps; null while a connection is open.</summary>
    public TimeSpan? SweepAt => _open > 0 ? null : _lastClosedAt is { } closed ? closed + grace : connectTimeout;
}
