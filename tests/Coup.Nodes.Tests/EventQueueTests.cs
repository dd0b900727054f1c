using Coup.Simulation;

namespace Coup.Nodes.Tests;

/// <summary>
/// A repeating timer (each node's tick) is kept beside the event heap; it must run in exactly the order an
/// action that schedules itself again would, ties included, or simulated histories change.
/// </summary>
public sealed class EventQueueTests
{
    [Fact]
    public void GivenTiesWithOtherActions_WhenATimerRepeats_ThenItRunsWhereASelfSchedulingActionWould()
    {
        Assert.Equal(Trace(repeating: false), Trace(repeating: true));
    }

    [Fact]
    public void GivenATimerThatStops_WhenRun_ThenItFiresNoMore()
    {
        var queue = new EventQueue();
        var fired = 0;
        queue.Repeat(10, () => ++fired < 3 ? 10 : null);

        queue.RunUntil(1_000);

        Assert.Equal(3, fired);
    }

    /// <summary>
    /// A 10 ns timer and actions at multiples of 10 ns, some scheduled before it re-arms and some after
    /// (from within its own firing and from other actions), with a delay that changes as it goes.
    /// </summary>
    private static List<string> Trace(bool repeating)
    {
        var queue = new EventQueue();
        var trace = new List<string>();
        var delayNs = 10L;
        long? Fire()
        {
            trace.Add($"tick@{queue.NowNs}");
            if (queue.NowNs % 30 == 0)
            {
                queue.After(delayNs, () => trace.Add($"from-tick@{queue.NowNs}"));
            }
            delayNs = queue.NowNs > 60 ? 7 : 10;
            return queue.NowNs < 120 ? delayNs : null;
        }
        void SelfScheduling()
        {
            if (Fire() is { } next)
            {
                queue.After(next, SelfScheduling);
            }
        }
        for (var t = 0L; t <= 100; t += 10)
        {
            var at = t;
            queue.At(at, () =>
            {
                trace.Add($"other@{at}");
                queue.After(10, () => trace.Add($"later@{queue.NowNs}"));
            });
        }
        if (repeating)
        {
            queue.Repeat(10, Fire);
        }
        else
        {
            queue.After(10, SelfScheduling);
        }
        queue.At(20, () => trace.Add("after-timer@20"));
        queue.RunUntil(200);
        return trace;
    }
}
