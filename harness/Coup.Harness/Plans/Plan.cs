using Coup.Faults;
using Coup.Harness.Run;

namespace Coup.Harness.Plans;

/// <summary>One target of a plan: an algorithm or a real system, with its own settings, sizes and runtimes.</summary>
public sealed record PlanTarget
{
    /// <summary>The target as cell ids name it: the algorithm or system, or the plan's label for it.</summary>
    public required string Name { get; init; }
    /// <summary>
    /// The algorithm that runs: <see cref="Name"/>, unless the plan's <c>algorithm</c> key puts another
    /// under that name (a broken variant planted where a baseline expects the real one); null for a system.
    /// </summary>
    public string? Algorithm { get; init; }
    public required bool IsSystem { get; init; }
    /// <summary>
    /// The system's or the algorithm's settings as <c>--set</c> takes them, <c>name=value</c>.
    /// </summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
    public required IReadOnlyList<int> Nodes { get; init; }
    public required IReadOnlyList<RuntimeKind> Runtimes { get; init; }
    /// <summary>Where the target is in the plan file, e.g. <c>/targets/2</c>, for errors.</summary>
    public required string Pointer { get; init; }
}

/// <summary>
/// One entry of a plan's nemeses: a set of fault names, or a scripted timeline (docs/timelines.md) with
/// the name its cells carry; <see cref="Choices"/> are then the faults the timeline names.
/// </summary>
public sealed record PlanNemesis(
    IReadOnlyList<FaultChoice> Choices, string? TimelineName = null, string? Timeline = null)
{
    /// <summary>How cell ids name it: <c>partition+kill</c>, <c>none</c>, <c>timeline:NAME</c>.</summary>
    public string Text(string separator) => TimelineName is { } name ? $"timeline:{name}"
        : Choices.Count == 0 ? "none" : string.Join(separator, Choices.Select(k => k.Name));
}

/// <summary>A plan file, read and checked: the matrix's axes and every run's shared options.</summary>
public sealed record Plan
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    /// <summary>SHA-256 of the file's bytes, hex: shards of different plans are not merged.</summary>
    public required string Sha256 { get; init; }
    public required IReadOnlyList<PlanTarget> Targets { get; init; }
    public required IReadOnlyList<PlanNemesis> Nemeses { get; init; }
    /// <summary>The seeds of every sim cell.</summary>
    public required IReadOnlyList<int> SimSeeds { get; init; }
    /// <summary>The seeds of every docker cell.</summary>
    public required IReadOnlyList<int> ContainerSeeds { get; init; }
    public double TimeLimitS { get; init; } = OptionLimits.TimeLimitS.Default;
    public double IntervalS { get; init; } = OptionLimits.IntervalS.Default;
    public int Clients { get; init; } = OptionLimits.Clients.Default;
    public double WriteRateHz { get; init; } = OptionLimits.WriteRateHz.Default;
    public double QuietS { get; init; } = OptionLimits.QuietS.Default;
    public int ObservePeriodMs { get; init; } = OptionLimits.ObservePeriodMs.Default;

    public IReadOnlyList<int> Seeds(RuntimeKind runtime) => runtime == RuntimeKind.Sim ? SimSeeds : ContainerSeeds;
}

/// <summary>
/// One cell of a plan's matrix: a target under one nemesis set, in one runtime, at one cluster size;
/// run once per seed.
/// </summary>
public sealed record PlanCell
{
    public required PlanTarget Target { get; init; }
    public required PlanNemesis Nemesis { get; init; }
    public required RuntimeKind Runtime { get; init; }
    public required int Nodes { get; init; }
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>
    /// <c>target/nemesis+kinds/runtime/nodes</c>, e.g. <c>raft/partition+kill/sim/5</c>: the same on every machine.
    /// </summary>
    public string Id => IdOf(Target.Name, Nemesis, Runtime, Nodes);

    public static string IdOf(string target, PlanNemesis nemesis, RuntimeKind runtime, int nodes) =>
        $"{target}/{nemesis.Text("+")}/{RuntimeName(runtime)}/{nodes}";

    public static string RuntimeName(RuntimeKind runtime) => runtime.ToString().ToLowerInvariant();

    /// <summary>The run this cell makes of <paramref name="seed"/>; the caller validates it.</summary>
    public RunPlan RunPlan(Plan plan, int seed, string store) => new()
    {
        Algorithm = Target.Algorithm ?? Run.RunPlan.DefaultAlgorithm,
        System = Target.IsSystem ? Target.Name : null,
        Settings = Target.Settings,
        Nodes = Nodes,
        Nemesis = Nemesis.Timeline is null ? Nemesis.Choices : [],
        Timeline = Nemesis.Timeline,
        Runtime = Runtime,
        Seed = seed,
        Store = store,
        TimeLimitS = plan.TimeLimitS,
        IntervalS = plan.IntervalS,
        Clients = plan.Clients,
        WriteRateHz = plan.WriteRateHz,
        QuietS = plan.QuietS,
        ObservePeriodMs = plan.ObservePeriodMs,
    };
}
