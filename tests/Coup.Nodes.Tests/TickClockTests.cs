namespace Coup.Nodes.Tests;

/// <summary>
/// <see cref="TickClock.TicksDue"/> tells one tick without dividing; it must count as the division does, at
/// the edges of a tick too, and leave the same last tick (every later count shows it), or simulated histories
/// change.
/// </summary>
public sealed class TickClockTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(1)]
    [InlineData(7)]
    public void GivenReadingsNearTickEdges_WhenCounted_ThenEveryCountIsTheDivisions(int tickMs)
    {
        var random = new Random(tickMs);
        var starts = new[] { 0.0, 1e-9, 123.456, 1e6 + 0.1, 3.6e6 * 24, random.NextDouble() * 1e7 };
        foreach (var start in starts)
        {
            var gaps = Edges(tickMs).Concat(Enumerable.Range(0, 200).Select(_ => random.NextDouble() * 4 * tickMs));
            foreach (var sinceMs in gaps)
            {
                var clock = new TickClock(tickMs, burstTicksMax: 3);
                var reference = new DividingClock(tickMs, burstTicksMax: 3);
                clock.TicksDue(start);
                reference.TicksDue(start);
                for (var step = 1; step <= 3; step++)
                {
                    var nowMs = start + step * sinceMs;
                    Assert.Equal(reference.TicksDue(nowMs), clock.TicksDue(nowMs));
                    Assert.Equal(reference.TicksDue(nowMs + 0.25), clock.TicksDue(nowMs + 0.25));
                }
            }
        }
    }

    /// <summary>Just below, at and just above one and two ticks.</summary>
    private static IEnumerable<double> Edges(int tickMs) =>
        new[] { tickMs, 2.0 * tickMs }.SelectMany(edge => new[]
        {
            Math.BitDecrement(Math.BitDecrement(edge)), Math.BitDecrement(edge), edge, Math.BitIncrement(edge),
        });

    /// <summary>The rule as it was before: every count a division.</summary>
    private sealed class DividingClock(int tickMs, int burstTicksMax)
    {
        private double? _lastTickMs;

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
}
