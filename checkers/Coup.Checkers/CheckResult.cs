using System.Text.Json.Serialization;

namespace Coup.Checkers;

/// <summary>
/// Something a checker found, with the evidence a person needs to find it in the history:
/// the nodes, terms, group and the controller-clock interval.
/// </summary>
public sealed record Anomaly
{
    /// <summary>
    /// e.g. <c>same-term-leaders</c>, <c>split-brain</c>, <c>dueling-writes</c>, <c>no-leader-after-heal</c>.
    /// </summary>
    public required string Kind { get; init; }
    public required string Description { get; init; }
    public IReadOnlyList<string> Nodes { get; init; } = [];
    public IReadOnlyList<long> Terms { get; init; } = [];
    public string Group { get; init; } = "default";
    public required long StartNs { get; init; }
    public long? EndNs { get; init; }
    /// <summary>Whether this anomaly alone makes the run invalid (some are reported for information).</summary>
    public bool Violation { get; init; } = true;
}

/// <summary>How long the cluster took to replace a leader that a fault took away.</summary>
public sealed record FailoverLatency
{
    public required string FaultKind { get; init; }
    public required long FaultStartNs { get; init; }
    public required string Group { get; init; }
    public required string OldLeader { get; init; }
    public required long OldTerm { get; init; }
    /// <summary>To the first claim of a higher term by any node; null if none came.</summary>
    public long? ToFirstClaimNs { get; init; }
    /// <summary>To a leader of a higher term that a majority of nodes report; null if none came.</summary>
    public long? ToMajorityLeaderNs { get; init; }
    public string? NewLeader { get; init; }
    public long? NewTerm { get; init; }
}

/// <summary>One checker's answer, with figures for the report (e.g. "unavailableMs").</summary>
public sealed record CheckResult
{
    public required string Checker { get; init; }
    public required Verdict Verdict { get; init; }
    public required string Summary { get; init; }
    public IReadOnlyList<Anomaly> Anomalies { get; init; } = [];
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();
    /// <summary>Set by the failover checker only.</summary>
    public IReadOnlyList<FailoverLatency> Failovers { get; init; } = [];
}

/// <summary>What <c>results.json</c> holds: the combined verdict and each checker's answer.</summary>
public sealed record Results
{
    public required Verdict Verdict { get; init; }
    public required IReadOnlyList<CheckResult> Checks { get; init; }

    [JsonIgnore]
    public IEnumerable<Anomaly> Anomalies => Checks.SelectMany(c => c.Anomalies);
    [JsonIgnore]
    public IEnumerable<FailoverLatency> Failovers => Checks.SelectMany(c => c.Failovers);
}
