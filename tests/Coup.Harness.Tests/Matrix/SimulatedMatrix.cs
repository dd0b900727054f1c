using System.Diagnostics;
using Coup.Checkers;
using Coup.Faults;
using Coup.Harness.Compare;
using Coup.Harness.Matrix;
using Coup.Harness.Run;
using Coup.Reports.Matrix;

namespace Coup.Harness.Tests.Matrix;

/// <summary>
/// Real simulator runs recorded into one temporary store through <see cref="Runner"/>, as <c>coup run
/// --runtime sim</c> records them, and read back from their results.json as a matrix would read them.
/// Run once for every test of the class: raft under kill for six seeds, zab under kill for two, and
/// under amnesia raft and its broken variant raft-forgets-vote for two seeds each.
/// </summary>
public sealed class SimulatedMatrix : IDisposable
{
    public const double TimeLimitS = 40;
    public const double IntervalS = 5;

    public TempStore Store { get; } = new();
    private readonly Dictionary<(string Algorithm, FaultKind Nemesis, int Seed), RunOutcome> _runs = [];

    public SimulatedMatrix()
    {
        foreach (var seed in Enumerable.Range(1, 6))
        {
            Record("raft", FaultKind.Kill, seed);
        }
        foreach (var seed in Enumerable.Range(1, 2))
        {
            Record("zab", FaultKind.Kill, seed);
            Record("raft", FaultKind.Amnesia, seed);
            Record("raft-forgets-vote", FaultKind.Amnesia, seed);
        }
    }

    public RunOutcome Run(string algorithm, FaultKind nemesis, int seed) => _runs[(algorithm, nemesis, seed)];

    /// <summary>
    /// A cell named <paramref name="target"/> under <paramref name="nemesis"/> whose runs are those of
    /// <paramref name="ranAlgorithm"/> (another algorithm than the target plants a substitution).
    /// </summary>
    public CellResult Cell(string target, FaultKind nemesis, IEnumerable<int> seeds, string? ranAlgorithm = null) =>
        new()
        {
            Id = $"{target}/{nemesis.Name()}/sim/5",
            Target = target,
            IsSystem = false,
            Nemesis = [nemesis.Name()],
            Runtime = "sim",
            Nodes = 5,
            Runs = seeds.Select(seed => Run(ranAlgorithm ?? target, nemesis, seed)).ToList(),
        };

    public static MatrixResult Result(string startedAt, params CellResult[] cells) => new()
    {
        Plan = "sim-test",
        PlanSha256 = new string('a', 64),
        Shards = ["1/1"],
        StartedAt = DateTimeOffset.Parse(startedAt, System.Globalization.CultureInfo.InvariantCulture),
        FinishedAt = DateTimeOffset.Parse(startedAt, System.Globalization.CultureInfo.InvariantCulture).AddMinutes(3),
        Cells = cells.OrderBy(c => c.Id, StringComparer.Ordinal).ToList(),
    };

    private void Record(string algorithm, FaultKind nemesis, int seed)
    {
        var plan = new RunPlan
        {
            Algorithm = algorithm,
            Seed = seed,
            Nemesis = [nemesis],
            TimeLimitS = TimeLimitS,
            IntervalS = IntervalS,
            Runtime = RuntimeKind.Sim,
            Store = Store.Root,
        }.Validated();
        var clock = Stopwatch.StartNew();
        var exit = new Runner(plan, TextWriter.Null).RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        var runDirectory = new DirectoryInfo(Store.Latest).LinkTarget!;
        var results = ResultsFile.Read(Path.Combine(Store.Root, runDirectory, RunStore.ResultsFile));
        _runs[(algorithm, nemesis, seed)] = RunOutcomes.From(seed, runDirectory, exit, clock.Elapsed.TotalSeconds,
            plan.Command, results, ElectionCosts.Measure(algorithm, plan.Nodes, seed));
    }

    public void Dispose() => Store.Dispose();
}
