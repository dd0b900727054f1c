using System.Globalization;
using System.Numerics;

namespace Coup.Harness.Run;

/// <summary>
/// A numeric option's default and its accepted range, both ends inclusive; the one place the
/// parser, <see cref="RunPlan.Validated"/>, <c>coup compare</c> and <c>--help</c> read them from.
/// </summary>
public sealed record Limit<T>(string Option, T Default, T Min, T Max, string Unit)
    where T : struct, INumber<T>
{
    /// <summary>What <c>--help</c> appends to the option's description (it shows the default itself).</summary>
    public string Help => string.Create(CultureInfo.InvariantCulture, $"{Min} to {Max}{Unit}");

    /// <summary>The one-line refusal of <paramref name="value"/>, or null when it is in range.</summary>
    public string? Problem(T value) => value >= Min && value <= Max ? null
        : string.Create(CultureInfo.InvariantCulture, $"{Option} must be from {Min} to {Max}{Unit}, got {value}");

    public T Checked(T value) => Problem(value) is { } problem ? throw CoupException.Usage(problem) : value;
}

/// <summary>
/// Every numeric option's default and bounds. The bounds keep the largest accepted run finite and
/// its history within a disk and a check's time: see <see cref="WritesMax"/> and <see cref="FaultsMax"/>.
/// </summary>
public static class OptionLimits
{
    public static readonly Limit<int> Nodes = new("--nodes", 5, 1, 9, "");
    /// <summary>Up to a day: a soak run, not an accident.</summary>
    public static readonly Limit<double> TimeLimitS = new("--time-limit", 60, 0.1, 86_400, " s");
    /// <summary>At most <see cref="TimeLimitS"/> when faults are asked for (no fault would fit otherwise).</summary>
    public static readonly Limit<double> IntervalS = new("--interval", 10, 0.1, 86_400, " s");
    /// <summary>Its default is never used: a run without <c>--seed</c> draws a fresh one and prints it.</summary>
    public static readonly Limit<int> Seed = new("--seed", 0, 0, int.MaxValue, "");
    public static readonly Limit<int> Clients = new("--clients", 3, 0, 64, "");
    public static readonly Limit<double> WriteRateHz = new("--rate", 10, 0.01, 1000, " writes/s");
    public static readonly Limit<double> QuietS = new("--quiet", 5, 0, 600, " s");
    public static readonly Limit<int> ObservePeriodMs = new("--observe-ms", 50, 5, 10_000, " ms");
    public static readonly Limit<int> Seeds = new("--seeds", 20, 1, 100_000, "");
    /// <summary><c>coup swarm</c>'s seeds: memory keeps four bytes per failing seed, disk a line per seed.</summary>
    public static readonly Limit<int> SwarmSeeds = new("--seeds", 100, 1, 1_000_000, "");
    /// <summary><c>coup swarm</c>'s runs at once; by default one per core.</summary>
    public static readonly Limit<int> Parallel =
        new("--parallel", Math.Clamp(Environment.ProcessorCount, 1, 64), 1, 64, "");
    public static readonly Limit<int> DockerRuns = new("--docker-runs", 0, 0, 100, "");
    /// <summary><c>coup shrink</c>'s budget: simulator runs tried before it stops with the smallest found.</summary>
    public static readonly Limit<int> ShrinkRuns = new("--runs-max", 200, 1, 10_000, "");
    /// <summary>A plan's <c>container-runs</c> count: the seeds (1..N) of each of its docker cells.</summary>
    public static readonly Limit<int> ContainerRuns = new("container-runs", 1, 1, 100, "");

    /// <summary>
    /// Runs one plan may expand to (cells × seeds): a night's worth in the simulator with room to spare
    /// (a 30 s sim run with its report takes about a second), and a <c>matrix.json</c> of a few MB.
    /// </summary>
    public const int PlanRunsMax = 10_000;

    /// <summary>
    /// Writes one run may plan, <c>--clients × --rate × (--time-limit + --quiet)</c>: each is two
    /// history lines of about 120 bytes, so the largest history is about 1.3 GB on disk. Memory does not
    /// bound it: the checkers and the report stream the history (10 million events check in about 125 MB,
    /// bench/README.md).
    /// </summary>
    public const double WritesMax = 5_000_000;

    /// <summary>Faults one run may plan, about <c>--time-limit / --interval</c>; each sets off elections.</summary>
    public const double FaultsMax = 10_000;

    /// <summary>
    /// Simulated seconds <c>coup compare</c> may run per algorithm, <c>--seeds × (--time-limit + quiet)</c>:
    /// about twenty minutes of one core (an hour simulates in about 45 s).
    /// </summary>
    public const double CompareSimulatedSMax = 100_000;

    /// <summary>The cross-option rules: interval against time limit, the fault and write budgets.</summary>
    public static string? Problem(
        bool faults, double timeLimitS, double intervalS, int clients, double writeRateHz, double quietS)
    {
        if (faults && intervalS > timeLimitS)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"--interval {intervalS} is longer than --time-limit {timeLimitS}: "
                + $"no fault would start; lower --interval");
        }
        if (faults && timeLimitS / intervalS > FaultsMax)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"--time-limit {timeLimitS} at --interval {intervalS} plans about {timeLimitS / intervalS:0} faults, "
                + $"at most {FaultsMax} per run; raise --interval");
        }
        var writes = clients * writeRateHz * (timeLimitS + quietS);
        return writes <= WritesMax ? null : string.Create(CultureInfo.InvariantCulture,
            $"--clients {clients} at --rate {writeRateHz} for {timeLimitS + quietS} s plans {writes:0} writes, "
            + $"at most {WritesMax} per run (about 1.3 GB of history); lower --rate or --clients");
    }

    /// <summary>One <c>--set</c> entry, <c>name=value</c>, each side trimmed; null when it has no '='.</summary>
    public static (string Name, string Value)? Setting(string entry) =>
        entry.Split('=', 2) is [var name, var value] ? (name.Trim(), value.Trim()) : null;

    /// <summary>A number as written in a command line, in any culture: '.' for decimals, no thousands.</summary>
    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture,
            out value)
        && double.IsFinite(value);

    public static bool TryParse(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
