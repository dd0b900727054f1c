using System.Text.Json;
using System.Text.Json.Serialization;
using Coup.Checkers;

namespace Coup.Reports.Matrix;

/// <summary>
/// <c>matrix.json</c> at the root of a store: what one matrix run (one shard, or all of a plan) or one
/// merge of shard stores found. <c>coup matrix</c> writes it, <c>coup merge</c> combines several into one,
/// the comparison report and the regression alarm read it. Run directories are relative to the store root,
/// so a store can be moved or downloaded as a CI artifact.
/// </summary>
public sealed record MatrixResult
{
    public const string FileName = "matrix.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    /// <summary>The plan's name (its file name without extension unless the plan names itself).</summary>
    public required string Plan { get; init; }
    /// <summary>SHA-256 of the plan file's bytes, hex: merging refuses shards of different plans.</summary>
    public required string PlanSha256 { get; init; }
    /// <summary>
    /// The shards this result holds, e.g. <c>["1/2", "2/2"]</c>; <c>["1/1"]</c> for an unsharded run.
    /// </summary>
    public required IReadOnlyList<string> Shards { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>Ordered by <see cref="CellResult.Id"/>, so equal results serialize to equal bytes.</summary>
    public required IReadOnlyList<CellResult> Cells { get; init; }

    /// <summary>
    /// Invalid if any cell is invalid, else unknown if any is unknown, else valid (Jepsen's merge order).
    /// </summary>
    [JsonIgnore]
    public Verdict Verdict => VerdictOrder.Merge(Cells.Select(c => c.Verdict));

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static MatrixResult Read(string path) =>
        JsonSerializer.Deserialize<MatrixResult>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: empty matrix result");

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}

/// <summary>
/// One cell of the matrix: one target under one nemesis, in one runtime, at one cluster size, run once
/// per seed.
/// </summary>
public sealed record CellResult
{
    /// <summary>Stable across machines and shards, e.g. <c>raft/partition+kill/sim/5</c>.</summary>
    public required string Id { get; init; }
    /// <summary>The algorithm's or the real system's name.</summary>
    public required string Target { get; init; }
    /// <summary>True for etcd, zookeeper, redis-sentinel.</summary>
    public required bool IsSystem { get; init; }
    /// <summary>Fault kind names as <c>--nemesis</c> takes them; empty for no faults.</summary>
    public required IReadOnlyList<string> Nemesis { get; init; }
    /// <summary><c>docker</c> or <c>sim</c>.</summary>
    public required string Runtime { get; init; }
    public required int Nodes { get; init; }
    /// <summary>Ordered by seed.</summary>
    public required IReadOnlyList<RunOutcome> Runs { get; init; }

    [JsonIgnore]
    public Verdict Verdict => VerdictOrder.Merge(Runs.Select(r => r.Verdict));
}

/// <summary>One run of a cell: where it is stored and what the checkers found.</summary>
public sealed record RunOutcome
{
    public required int Seed { get; init; }
    /// <summary>The run's directory relative to the store root (holds report.html, results.json, junit.xml).</summary>
    public required string RunDirectory { get; init; }
    public required Verdict Verdict { get; init; }
    /// <summary>
    /// The process exit code of the run (0 valid, 1 invalid, 2 unknown, anything else a harness problem).
    /// </summary>
    public required int ExitCode { get; init; }
    /// <summary>Wall-clock seconds the run took, start to verdict.</summary>
    public required double DurationS { get; init; }
    /// <summary>The command line that runs this run again, built by the one place that builds it.</summary>
    public required string Reproduce { get; init; }
    /// <summary>Each checker's verdict by checker name.</summary>
    public required IReadOnlyDictionary<string, Verdict> Checks { get; init; }
    /// <summary>Fault start to a majority-reported leader of a higher term, per failover that completed.</summary>
    public required IReadOnlyList<double> FailoverMs { get; init; }
    /// <summary>Failovers whose new leader never came (kept apart: they have no latency).</summary>
    public required int FailoversWithoutLeader { get; init; }
    public required double SplitBrainMs { get; init; }
    public required double UnavailableMs { get; init; }
    /// <summary>Null where the run did not count them.</summary>
    public double? MessagesPerElection { get; init; }
    public double? RoundsPerElection { get; init; }
}

public static class VerdictOrder
{
    /// <summary>The verdicts combined by <see cref="VerdictExtensions.Combine"/>; nothing at all is unknown.</summary>
    public static Verdict Merge(IEnumerable<Verdict> verdicts) =>
        verdicts.Aggregate((Verdict?)null, (merged, v) => merged?.Combine(v) ?? v) ?? Verdict.Unknown;
}
