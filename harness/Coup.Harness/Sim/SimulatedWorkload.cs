using Coup.Harness.Run;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// Client processes on the virtual clock: each waits about 1/rate, writes the next value to the
/// node <see cref="WriteRouting"/> picks from what the cluster last announced (what the
/// recorder records as observed), and records the invoke and its completion, one write
/// outstanding at a time.
/// </summary>
internal sealed class SimulatedWorkload(SimulatedCluster cluster, Recorder recorder, RunPlan plan, long stopNs)
{
    private readonly IAlgorithmDefinition _algorithm = Algorithms.Get(plan.Algorithm);
    private long _nextValue;

    public void Start()
    {
        for (var process = 0; process < plan.Clients; process++)
        {
            ScheduleNext(process, WriteRouting.ForProcess(plan.Seed, process));
        }
    }

    private void ScheduleNext(int process, Random random)
    {
        var gapNs = WriteRouting.GapNs(plan.WriteRateHz, random);
        if (cluster.NowNs + gapNs >= stopNs)
        {
            return;
        }
        cluster.Clock.After(gapNs, () =>
        {
            var value = ++_nextValue;
            var node = WriteRouting.Choose(WriteRouting.GroupOf(_algorithm, value), Words, cluster.Names, random);
            var invoke = recorder.Record(t => Events.Invoke(t, process, node, value));
            cluster.Write(node, value, outcome =>
            {
                recorder.Record(t => Events.Completion(t, invoke, outcome));
                ScheduleNext(process, random);
            });
        });
    }

    /// <summary>What every node last announced in each group; nothing for a killed node.</summary>
    private IEnumerable<(string Node, NodeStatus Status)> Words =>
        cluster.Names.SelectMany(n => cluster.StatusesOf(n).Select(s => (n, s)));
}
