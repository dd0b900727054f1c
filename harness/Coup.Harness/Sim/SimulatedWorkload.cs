using Coup.Harness.Run;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// Client processes on the virtual clock: each waits about 1/rate, writes the next value to the
/// node <see cref="WriteRouting"/> picks, and records the invoke and its completion, one write
/// outstanding at a time.
/// </summary>
internal sealed class SimulatedWorkload(SimulatedCluster cluster, Recorder recorder, RunPlan plan, long stopNs)
{
    private readonly Random _random = new(plan.Seed ^ 0x5eed);
    private readonly IAlgorithmDefinition _algorithm = Algorithms.Get(plan.Algorithm);
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
            var value = ++_nextValue;
            var node = WriteRouting.Choose(_algorithm, value, cluster.Names, Claimants, _random);
            var invoke = recorder.Record(t => Events.Invoke(t, process, node, value));
            cluster.Write(node, value, outcome =>
            {
                recorder.Record(t => Events.Completion(t, invoke, outcome));
                ScheduleNext(process);
            });
        });
    }

    private IEnumerable<string> Claimants(string group) =>
        cluster.Names.Where(n => cluster.StatusesOf(n).Any(s => s.Group == group && s.Role == Role.Leader));
}
