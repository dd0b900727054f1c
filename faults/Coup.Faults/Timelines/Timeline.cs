namespace Coup.Faults.Timelines;

/// <summary>
/// A nemesis schedule written as data (docs/timelines.md): a sequence of steps, each a fault, a sleep,
/// a seeded mix, a repeat or parallel tracks. <see cref="TimelineCompiler"/> turns it into tracks of
/// <see cref="PlannedFault"/>; <see cref="TimelineWriter"/> writes one back, and any schedule as one.
/// </summary>
public sealed record Timeline(IReadOnlyList<TimelineStep> Steps)
{
    /// <summary>The faults it names, each once, in document order: what run-start records as its nemesis.</summary>
    public IReadOnlyList<FaultChoice> Choices => [.. Choose(Steps).DistinctBy(c => c.Name)];

    private static IEnumerable<FaultChoice> Choose(IEnumerable<TimelineStep> steps) =>
        steps.SelectMany(step => step switch
    {
        FaultStep fault => [fault.Choice],
        MixStep mix => mix.Faults.Select(f => f.Choice),
        RepeatStep repeat => Choose(repeat.Steps),
        ParallelStep parallel => parallel.Tracks.SelectMany(Choose),
        _ => [],
    });
}

/// <summary>One step; <see cref="Pointer"/> is where it is in its document, for problems.</summary>
public abstract record TimelineStep
{
    public string Pointer { get; init; } = "";
}

/// <summary>
/// One fault: <c>{at: S, fault: NAME, hold: S, target: T, clock: {offset: S, rate: R}, seed: N}</c>.
/// <see cref="AtS"/> counts from the start of the sequence the step is in; without it the fault starts
/// when the step before it ends. Without <see cref="Seed"/> the choice seed is drawn from the run's seed.
/// </summary>
public sealed record FaultStep : TimelineStep
{
    public double? AtS { get; init; }
    public required FaultChoice Choice { get; init; }
    public required double HoldS { get; init; }
    /// <summary>Null: the kind's default, the leader (<see cref="FaultSchedule.Targets"/>).</summary>
    public TargetChoice? Target { get; init; }
    /// <summary>A bare <c>clock</c> fault's change; a strobe's comes from its name.</summary>
    public ClockChange? Clock { get; init; }
    public int? Seed { get; init; }
}

/// <summary><c>{sleep: S}</c>: nothing for S seconds.</summary>
public sealed record SleepStep : TimelineStep
{
    public required double SleepS { get; init; }
}

/// <summary>
/// <c>{mix: {faults: {NAME: WEIGHT, ...}, interval: S, for: S, hold: S}}</c>: a fault every
/// <see cref="IntervalS"/> for <see cref="ForS"/>, each drawn by weight from the run's seed and held
/// <see cref="HoldS"/> (default half the interval).
/// </summary>
public sealed record MixStep : TimelineStep
{
    public required IReadOnlyList<(FaultChoice Choice, double Weight)> Faults { get; init; }
    public required double IntervalS { get; init; }
    public required double ForS { get; init; }
    public double? HoldS { get; init; }
}

/// <summary><c>{repeat: N, steps: [...]}</c>: the steps N times, one after another.</summary>
public sealed record RepeatStep : TimelineStep
{
    public required int Times { get; init; }
    public required IReadOnlyList<TimelineStep> Steps { get; init; }
}

/// <summary><c>{parallel: [[...], [...]]}</c>: tracks that start together; the next step waits for all.</summary>
public sealed record ParallelStep : TimelineStep
{
    public required IReadOnlyList<IReadOnlyList<TimelineStep>> Tracks { get; init; }
}

/// <summary>Where a timeline is wrong: a JSON Pointer into its document (empty: the whole) and why.</summary>
public sealed record TimelineProblem(string Pointer, string Message)
{
    public string Line(string source) =>
        Pointer.Length == 0 ? $"{source}: {Message}" : $"{source}: {Pointer}: {Message}";
}

/// <summary>
/// Every number's range in a timeline, both ends inclusive, and the bounds on its size; the reader
/// and docs/timelines.md take them from here.
/// </summary>
public static class TimelineLimits
{
    /// <summary>A day, as <c>--time-limit</c> allows at most.</summary>
    public const double SecondsMax = 86_400;
    /// <summary>A fault held less than this would not take effect in containers.</summary>
    public const double HoldSMin = 0.01;
    /// <summary>As <c>--interval</c>.</summary>
    public const double IntervalSMin = 0.1;
    public const double WeightMax = 1000;
    public const int RepeatMax = 1000;
    /// <summary>Steps in one list, names in one mix.</summary>
    public const int StepsMax = 1000;
    public const int MixFaultsMax = 32;
    /// <summary>Tracks running at once; each is a nemesis of its own.</summary>
    public const int TracksMax = 8;
    /// <summary>Repeats and parallels inside each other.</summary>
    public const int DepthMax = 8;
    /// <summary>Faults one timeline may plan, as <c>--time-limit / --interval</c> may.</summary>
    public const int FaultsMax = 10_000;
    /// <summary>Steps played while compiling (a repeat of repeats of sleeps plans no fault but takes time).</summary>
    public const int StepsPlayedMax = 1_000_000;
    public const double ClockOffsetSMax = 3600;
    public const double ClockRateMin = 0.1;
    public const double ClockRateMax = 10;
}
