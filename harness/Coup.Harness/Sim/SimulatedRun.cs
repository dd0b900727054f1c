using Coup.Checkers.History;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Nodes;
using Coup.Simulation;

namespace Coup.Harness.Sim;

/// <summary>
/// The whole pipeline on the simulator: the same plan, fault schedule, workload and history
/// format as a container run, on a virtual clock, so one seed gives the same history every time.
/// </summary>
public sealed class SimulatedRun(RunPlan plan)
{
    private const long NsPerS = 1_000_000_000;

    /// <summary>Runs the plan and writes every event to <paramref name="writer"/>; returns when the run ends.</summary>
    public void Execute(HistoryWriter writer, DateTimeOffset startedAt, CancellationToken cancellation)
    {
        var cluster = new SimulatedCluster(plan.Algorithm, plan.Nodes, plan.Seed, plan.AlgorithmSettings.Cluster);
        using var recorder = new Recorder(writer, () => cluster.NowNs);
        recorder.Record(_ => Events.Started(plan, startedAt));
        // A simulated node's clock counts from the run's start; the history wants Unix ms, skew included.
        var startedAtMs = startedAt.ToUnixTimeMilliseconds();
        var nemesis = new Nemesis(plan.Schedule(), cluster.Names);
        var faults = new FaultPlayer(nemesis, new SimulatedFaults(cluster, recorder), recorder,
            () => [.. cluster.Names.Select(n => (n, cluster.StatusOf(n)))], TextWriter.Null);
        long? stepDueNs = null;
        var stepping = false;
        var stepAgain = false;
        // Every mechanism here takes effect at once, so a step completes before the clock moves on. A
        // mechanism can make a node speak (a restart), which asks for a step within the step: it is
        // taken once the current one is done.
        void Step()
        {
            if (stepping)
            {
                stepAgain = true;
                return;
            }
            stepping = true;
            do
            {
                stepAgain = false;
                faults.StepAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
            while (stepAgain);
            stepping = false;
            if (nemesis.DueNs is { } dueNs && dueNs != stepDueNs)
            {
                stepDueNs = dueNs;
                cluster.Clock.At(Math.Max(dueNs, cluster.NowNs), Step);
            }
        }
        cluster.StatusChanged += s =>
        {
            recorder.Record(t => Events.State(t, s.Node, s.Status, startedAtMs + s.NodeWallMs));
            if (nemesis.WatchesObservations)
            {
                Step();
            }
        };
        cluster.Start();

        var limitNs = (long)(plan.TimeLimitS * NsPerS);
        var quietNs = (long)(plan.QuietS * NsPerS);
        var workload = new SimulatedWorkload(cluster, recorder, plan, stopNs: limitNs + quietNs);
        workload.Start();
        Step();

        var reason = RunUntil(cluster, limitNs, cancellation) ? "time-limit" : "interrupted";
        faults.HealAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        var healedNs = cluster.NowNs;
        if (reason != "interrupted" && !RunUntil(cluster, healedNs + quietNs, cancellation))
        {
            reason = "interrupted";
        }
        foreach (var node in cluster.Names.Where(cluster.IsUp))
        {
            foreach (var status in cluster.StatusesOf(node))
            {
                recorder.Record(t =>
                    Events.State(t, node, status, startedAtMs + cluster.NodeWallMs(node), source: "final"));
            }
        }
        long? healedAtNs = reason == "interrupted" ? null : healedNs;
        recorder.Record(t => new RunEnded { TimeNs = t, Reason = reason, HealedNs = healedAtNs });
    }

    /// <summary>Advances the virtual clock a simulated second at a time; false when cancelled first.</summary>
    private static bool RunUntil(SimulatedCluster cluster, long untilNs, CancellationToken cancellation)
    {
        while (cluster.NowNs < untilNs)
        {
            if (cancellation.IsCancellationRequested)
            {
                return false;
            }
            cluster.RunUntil(Math.Min(untilNs, cluster.NowNs + NsPerS));
        }
        return !cancellation.IsCancellationRequested;
    }
}
