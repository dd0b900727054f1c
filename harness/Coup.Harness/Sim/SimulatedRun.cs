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
        var active = new List<ResolvedFault>();
        var termAtCut = 0L;
        Sleeping? sleeping = null;
        // An amnesia's sleeper wakes once its voters follow the successor again, or is given up on.
        void WakeIf(Func<AmnesiaShape, string?> judge)
        {
            if (sleeping is { } pending && judge(pending.Shape) is { } judgement)
            {
                sleeping = null;
                Wake(cluster, recorder, active, pending.Wake, judgement);
            }
        }
        cluster.StatusChanged += s =>
        {
            recorder.Record(t => Events.State(t, s.Node, s.Status, startedAtMs + s.NodeWallMs));
            // A chase follows the node's first group, as the container nemesis does (Observer.Latest).
            if (s.Status.Role == Role.Leader && s.Status.Group == cluster.StatusOf(s.Node)?.Group
                && FollowClaim(cluster, recorder, active, s.Node, termAtCut) is { } step)
            {
                sleeping = step;
                var givenUpNs = cluster.NowNs + (long)(AmnesiaShape.VotersWaitMax.TotalSeconds * NsPerS);
                cluster.Clock.At(givenUpNs, () =>
                    WakeIf(shape => sleeping == step ? shape.TimedOut(cluster.StatusOf) : null));
            }
            WakeIf(shape => shape.Judge(cluster.StatusOf));
        };
        cluster.Start();

        var limitNs = (long)(plan.TimeLimitS * NsPerS);
        var quietNs = (long)(plan.QuietS * NsPerS);
        var workload = new SimulatedWorkload(cluster, recorder, plan, stopNs: limitNs + quietNs);
        workload.Start();
        foreach (var fault in plan.Schedule())
        {
            cluster.Clock.At((long)(fault.StartS * NsPerS), () =>
            {
                active.AddRange(Inject(cluster, recorder, fault));
                termAtCut = cluster.Names.Max(n => cluster.StatusOf(n)?.Term ?? 0);
            });
            cluster.Clock.At((long)(fault.StopS * NsPerS), () =>
            {
                WakeIf(shape => shape.CutShort(cluster.StatusOf));
                Heal(cluster, recorder, active);
            });
        }

        var reason = RunUntil(cluster, limitNs, cancellation) ? "time-limit" : "interrupted";
        WakeIf(shape => shape.CutShort(cluster.StatusOf));
        Heal(cluster, recorder, active);
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

    private static IReadOnlyList<ResolvedFault> Inject(SimulatedCluster cluster, Recorder recorder, PlannedFault planned)
    {
        var leader = Events.CurrentLeader(cluster.Names.Select(n => (n, cluster.StatusOf(n))));
        var parts = FaultTargets.Resolve(planned, cluster.Names, leader);
        foreach (var part in parts)
        {
            Apply(cluster, recorder, part);
        }
        return parts;
    }

    private static void Apply(SimulatedCluster cluster, Recorder recorder, ResolvedFault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                fault.Targets.ToList().ForEach(cluster.Kill);
                foreach (var node in fault.Targets)
                {
                    recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "down", Detail = "killed" });
                }
                break;
            case FaultKind.Pause:
                fault.Targets.ToList().ForEach(cluster.Pause);
                break;
            case FaultKind.Partition:
                cluster.Partition(fault.Grudge!);
                break;
            case FaultKind.Clock:
                fault.Targets.ToList().ForEach(n => cluster.ChangeClock(n, fault.Plan.Clock!));
                break;
        }
        recorder.Record(t => Events.Fault(t, "start", fault));
    }

    /// <summary>An amnesia's sleeper, paused until its voters follow the successor again.</summary>
    private sealed record Sleeping(AmnesiaShape Shape, ResolvedFault Wake);

    /// <summary>
    /// Under a chase or an amnesia, the instant another node claims to lead it is cut off, so the
    /// messages its claim set off are lost with it; an amnesia then crash-restarts its voters (a
    /// simulated node boots in no time) and returns its sleeper, to be woken as in containers.
    /// </summary>
    private static Sleeping? FollowClaim(
        SimulatedCluster cluster, Recorder recorder, List<ResolvedFault> active, string claimant, long termAtCut)
    {
        if (FaultTargets.OnClaim(active, claimant, cluster.Names) is not { } response)
        {
            return null;
        }
        var shape = response.Wake is null ? null : AmnesiaShape.Of(response, termAtCut, cluster.StatusOf);
        cluster.Partition(response.Cut.Grudge!);
        recorder.Record(t => Events.Fault(t, "stop", response.Replaced));
        recorder.Record(t => Events.Fault(t, "start", response.Cut));
        active[active.IndexOf(response.Replaced)] = response.Cut;
        if (response.Crash is { } crash)
        {
            Apply(cluster, recorder, crash);
            Undo(cluster, recorder, crash);
        }
        return response.Wake is { } wake ? new Sleeping(shape!, wake) : null;
    }

    private static void Wake(
        SimulatedCluster cluster, Recorder recorder, List<ResolvedFault> active, ResolvedFault sleep, string judgement)
    {
        if (active.Remove(sleep))
        {
            Undo(cluster, recorder, sleep with { Detail = $"{sleep.Detail}; {judgement}" });
        }
    }

    private static void Heal(SimulatedCluster cluster, Recorder recorder, List<ResolvedFault> active)
    {
        foreach (var fault in active)
        {
            Undo(cluster, recorder, fault);
        }
        active.Clear();
    }

    private static void Undo(SimulatedCluster cluster, Recorder recorder, ResolvedFault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                foreach (var node in fault.Targets)
                {
                    cluster.Restart(node);
                    recorder.Record(t => new ObserverEvent { TimeNs = t, Node = node, Phase = "up", Detail = "restarted" });
                }
                break;
            case FaultKind.Pause:
                fault.Targets.ToList().ForEach(cluster.Resume);
                break;
            case FaultKind.Partition:
                cluster.Heal();
                break;
            case FaultKind.Clock:
                fault.Targets.ToList().ForEach(cluster.ResetClock);
                break;
        }
        recorder.Record(t => Events.Fault(t, "stop", fault));
    }
}
