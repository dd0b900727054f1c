using Coup.Harness.Run;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// Client processes on the virtual clock: each waits about 1/rate, writes the next value to a
/// random node, and records the invoke and its completion, one write outstanding at a time.
/// </summary>
internal sealed class SimulatedWorkload(SimulatedCluster cluster, Recorder recorder, RunPlan plan, long stopNs)
{
    private readonly Random _random = new(plan.Seed ^ 0x5eed);
    private long _nextValue;

    public void Start()
    {
        for (var process = 0; process < plan.Clients; process++)
        {
            ScheduleNext(process);
        }
    }

    private void ScheduleNext(int process)
    {
        var gapNs = (long)(1e9 / plan.WriteRateHz * (0.5 + _random.NextDouble()));
        if (cluster.NowNs + gapNs >= stopNs)
        {
            return;
        }
        cluster.Clock.After(gapNs, () =>
        {
            var node = cluster.Names[_random.Next(cluster.Names.Count)];
            var value = ++_nextValue;
            var invoke = recorder.Record(t => Events.Invoke(t, process, node, value));
            cluster.Write(node, value, outcome =>
            {
                recorder.Record(t => Events.Completion(t, invoke, outcome));
                ScheduleNext(process);
            });
        });
    }
}
