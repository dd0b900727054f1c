using System.Text.Json.Nodes;
using Coup.Faults;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Run;

/// <summary>Builds history events from what the runtimes see, the same way for both.</summary>
public static class Events
{
    public static RunStarted Started(RunPlan plan, DateTimeOffset startedAt, string? runId = null) => new()
    {
        RunId = runId,
        TimeNs = 0,
        Test = plan.TestName,
        Algorithm = plan.Target,
        Runtime = plan.Runtime.ToString().ToLowerInvariant(),
        Nodes = plan.NodeNames,
        Seed = plan.Seed,
        Nemesis = [.. plan.Choices.Select(k => k.Name)],
        Timeline = plan.Timeline is null ? null : JsonNode.Parse(plan.Timeline),
        TimeLimitS = plan.TimeLimitS,
        IntervalS = plan.IntervalS,
        StartedAt = startedAt,
        System = plan.System,
        Settings = plan.System is null && plan.Settings.Count == 0 ? null : plan.Settings,
        ObservePeriodMs = plan.System is null ? null : plan.ObservePeriodMs,
        Clients = plan.Clients,
        TermsFormed = plan.System is null ? Algorithms.Get(plan.Algorithm).TermsFormed : null,
        WriteRateHz = plan.WriteRateHz,
        QuietS = plan.QuietS,
        // Said only when it departs from the rule older histories follow.
        ExclusiveGroups = plan.System is null && !Algorithms.Get(plan.Algorithm).ExclusiveGroups ? false : null,
        Workload = WriteRouting.Describe(plan.Clients, plan.WriteRateHz,
            plan.System is { } system
                ? Systems.ClusterSystems.Find(system).ClientRouting
                : WriteRouting.FollowsObservedLeader),
    };

    public static StateObserved State(
        long timeNs, string node, NodeStatus status, long? nodeWallMs, string source = "stream") => new()
        {
            TimeNs = timeNs,
            Node = node,
            Role = status.Role switch
            {
                Role.Leader => Roles.Leader,
                Role.Candidate => Roles.Candidate,
                _ => Roles.Follower,
            },
            Term = status.Term,
            Leader = status.Leader is { } leader ? NodeNames.Of(leader) : null,
            Group = status.Group,
            Source = source,
            NodeWallMs = nodeWallMs,
        };

    public static FaultEvent Fault(long timeNs, string phase, ResolvedFault fault) => new()
    {
        TimeNs = timeNs,
        Phase = phase,
        Kind = fault.Kind.Name(),
        Targets = fault.Targets,
        Detail = fault.Detail,
        Components = fault.Grudge is { IsDirected: false } symmetric ? symmetric.Components : null,
        Drops = fault.Grudge is { IsDirected: true } directed
            ? directed.Nodes.Where(n => directed.DroppedBy(n).Count > 0).ToDictionary(n => n, directed.DroppedBy)
            : null,
        PlannedS = fault.Plan.StartS,
        Links = fault.Packets is { } packets ? [.. packets.Links.Select(l => l.ToString())] : null,
        LossPercent = fault.Packets?.Shape.LossPercent,
        DelayMs = fault.Packets?.Shape.DelayMs,
        JitterMs = fault.Packets?.Shape.JitterMs,
        DuplicatePercent = fault.Packets?.Shape.DuplicatePercent,
        ReorderPercent = fault.Packets?.Shape.ReorderPercent,
    };

    public static ClientOp Invoke(long timeNs, int process, string node, long value) => new()
    {
        TimeNs = timeNs,
        Process = process,
        Phase = OpPhases.Invoke,
        Node = node,
        Value = value,
    };

    /// <summary>How <paramref name="invoke"/> ended; <paramref name="acknowledgedBy"/>, said only when it is
    /// ok, names the node that acknowledged it when the client was told.</summary>
    public static ClientOp Completion(
        long timeNs, ClientOp invoke, WriteOutcome outcome, string? acknowledgedBy = null) => new()
        {
            TimeNs = timeNs,
            Process = invoke.Process,
            Phase = outcome.Phase,
            Node = invoke.Node,
            Value = invoke.Value,
            LatencyNs = timeNs - invoke.TimeNs,
            Term = outcome.Term,
            Group = outcome.Phase == OpPhases.Ok ? outcome.Group : null,
            Error = outcome.Error,
            AcknowledgedBy = outcome.Phase == OpPhases.Ok ? acknowledgedBy : null,
        };
}
