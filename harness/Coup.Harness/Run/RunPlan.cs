using Coup.Faults;
using Coup.Nodes;

namespace Coup.Harness.Run;

public enum RuntimeKind { Docker, Sim }

/// <summary>Everything needed to run a test again, seed included; saved as <c>plan.json</c>.</summary>
public sealed record RunPlan
{
    public const int NodesMax = 9;

    public required string Algorithm { get; init; }
    public int Nodes { get; init; } = 5;
    public double TimeLimitS { get; init; } = 60;
    public IReadOnlyList<FaultKind> Nemesis { get; init; } = [];
    public double IntervalS { get; init; } = 10;
    public required int Seed { get; init; }
    public RuntimeKind Runtime { get; init; } = RuntimeKind.Docker;
    public string Store { get; init; } = "store";
    /// <summary>Concurrent client processes, each with one write outstanding at a time.</summary>
    public int Clients { get; init; } = 3;
    /// <summary>Writes each client issues per second.</summary>
    public double WriteRateHz { get; init; } = 10;
    /// <summary>After the final heal: how long the cluster gets to converge before the final observation.</summary>
    public double QuietS { get; init; } = 5;

    public string TestName => $"{Algorithm}-{(Nemesis.Count == 0 ? "none" : string.Join("-", Nemesis.Select(k => k.Name())))}";

    public IReadOnlyList<string> NodeNames => Coup.Nodes.NodeNames.ForCount(Nodes);

    /// <summary>Checks every option; the first problem becomes a one-line usage error.</summary>
    public RunPlan Validated()
    {
        if (!Algorithms.IsKnown(Algorithm))
        {
            throw CoupException.Usage($"unknown algorithm '{Algorithm}'; choose one of: {string.Join(", ", Algorithms.Names)}");
        }
        if (Nodes < 1 || Nodes > NodesMax)
        {
            throw CoupException.Usage($"--nodes must be between 1 and {NodesMax}, got {Nodes}");
        }
        if (TimeLimitS <= 0)
        {
            throw CoupException.Usage($"--time-limit must be a positive number of seconds, got {TimeLimitS}");
        }
        if (IntervalS <= 0)
        {
            throw CoupException.Usage($"--interval must be a positive number of seconds, got {IntervalS}");
        }
        if (Clients < 0 || WriteRateHz <= 0)
        {
            throw CoupException.Usage("--clients must be 0 or more and --rate positive");
        }
        return this;
    }

    public IReadOnlyList<PlannedFault> Schedule() => FaultSchedule.Plan(Nemesis, TimeLimitS, IntervalS, Seed);

    /// <summary>The command line that runs this plan again.</summary>
    public string Command =>
        $"./coup run --algorithm {Algorithm} --nodes {Nodes} --nemesis {(Nemesis.Count == 0 ? "none" : string.Join(",", Nemesis.Select(k => k.Name())))} " +
        $"--time-limit {TimeLimitS} --interval {IntervalS} --seed {Seed} --runtime {Runtime.ToString().ToLowerInvariant()}";
}
