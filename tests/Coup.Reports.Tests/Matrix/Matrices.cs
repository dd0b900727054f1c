using Coup.Checkers;
using Coup.Reports.Matrix;

namespace Coup.Reports.Tests.Matrix;

/// <summary>Hand-made matrix results for the alarm's tables: a cell is a target, a nemesis and its runs.</summary>
internal static class Matrices
{
    public static MatrixResult Of(params CellResult[] cells) => new()
    {
        Plan = "nightly",
        PlanSha256 = new string('0', 64),
        Shards = ["1/1"],
        StartedAt = new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 30, 2, 40, 0, TimeSpan.Zero),
        Cells = cells.OrderBy(c => c.Id, StringComparer.Ordinal).ToList(),
    };

    public static CellResult Cell(string target, string nemesis, params RunOutcome[] runs) => new()
    {
        Id = $"{target}/{nemesis}/sim/5",
        Target = target,
        IsSystem = false,
        Nemesis = nemesis == "none" ? [] : nemesis.Split('+'),
        Runtime = "sim",
        Nodes = 5,
        Runs = runs,
    };

    public static RunOutcome Run(int seed, Verdict verdict, params double[] failoverMs) => new()
    {
        Seed = seed,
        RunDirectory = $"runs/seed-{seed}",
        Verdict = verdict,
        ExitCode = verdict.ExitCode(),
        DurationS = 30 + seed,
        Reproduce = $"./coup run --algorithm raft --seed {seed} --runtime sim",
        Checks = new Dictionary<string, Verdict> { ["election-safety"] = verdict },
        FailoverMs = failoverMs,
        FailoversWithoutLeader = 0,
        SplitBrainMs = 0,
        UnavailableMs = failoverMs.Sum(),
    };

    /// <summary>
    /// <paramref name="runs"/> runs of <paramref name="perRun"/> failovers each, drawn from a log-normal
    /// around <paramref name="medianMs"/> (spread 0.3 in log space, like container failovers), seeded.
    /// </summary>
    public static RunOutcome[] Runs(
        Random random, int runs, int perRun, double medianMs, Verdict verdict = Verdict.Valid) =>
        Enumerable.Range(1, runs).Select(seed => Run(seed, verdict,
            Enumerable.Range(0, perRun).Select(_ => LogNormal(random, medianMs, 0.3)).ToArray())).ToArray();

    public static double LogNormal(Random random, double medianMs, double sigma)
    {
        // Box-Muller: a standard normal from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return medianMs * Math.Exp(sigma * normal);
    }
}
