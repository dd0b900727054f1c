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

    [Fact]
    public void GivenTiesWithOtherActions_WhenActionsWaitInADelayLine_ThenTheyRunWhereTheyWouldInTheHeap()
    {
        Assert.Equal(LineTrace(inLine: false), LineTrace(inLine: true));
    }

    [Fact]
    public void GivenMoreActionsThanTheLineFirstHolds_WhenRun_ThenEachRunsOnceInOrder()
    {
        var queue = new EventQueue();
        var line = queue.Line(1_000);
        var ran = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var index = i;
            queue.At(i, () => line.After(() => ran.Add(index)));
        }

        queue.RunUntil(10_000);

        Assert.Equal(Enumerable.Range(0, 300), ran);
    }

    /// <summary>
    /// Actions that wait 30 ns, scheduled from actions at multiples of 10 ns, from a 10 ns timer and from
    /// themselves, so that many fall due at the same instant as others scheduled before and after them.
    /// </summary>
    private static List<string> LineTrace(bool inLine)
    {
        var queue = new EventQueue();
        var line = queue.Line(30);
        var trace = new List<string>();
        void Wait(string name, int depth)
        {
            void Due()
            {
                trace.Add($"{name}@{queue.NowNs}");
                if (depth > 0)
                {
                    Wait($"{name}+", depth - 1);
                }
            }
            if (inLine)
            {
                line.After(Due);
            }
            else
            {
                queue.After(30, Due);
            }
        }
        for (var t = 0L; t <= 90; t += 10)
        {
            var at = t;
            queue.At(at, () =>
            {
                trace.Add($"other@{at}");
                Wait($"w{at}", depth: 2);
                queue.After(30, () => trace.Add($"plain@{queue.NowNs}"));
            });
        }
        queue.Repeat(10, () =>
        {
            trace.Add($"tick@{queue.NowNs}");
            Wait($"t{queue.NowNs}", depth: 0);
            return queue.NowNs < 100 ? 10 : null;
        });
        queue.RunUntil(400);
        return trace;
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
