using Coup.Checkers;
using Coup.Reports.Matrix;

namespace Coup.Harness.Tests;

/// <summary>
/// <c>coup matrix</c> and <c>coup merge</c> on <c>plans/smoke.yaml</c> in the simulator: shards merged
/// give what one unsharded run gives, an interruption keeps every run recorded, and merge refuses
/// stores that are not shards of one split.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class MatrixTests : IDisposable
{
    private readonly TempStore _store = new();
    private static string Smoke => RepoFiles.PathOf("plans/smoke.yaml");

    private string Dir(string name) => Path.Combine(_store.Root, name);

    [Fact]
    public async Task Two_shards_merged_give_the_same_result_as_one_unsharded_run()
    {
        var whole = await Invocation.Of(["matrix", Smoke, "--store", Dir("whole")]);
        var first = await Invocation.Of(["matrix", Smoke, "--shard", "1/2", "--store", Dir("first")]);
        var second = await Invocation.Of(["matrix", Smoke, "--shard", "2/2", "--store", Dir("second")]);
        var merge = await Invocation.Of(["merge", Dir("first"), Dir("second"), "--output", Dir("merged")]);

        var unsharded = MatrixResult.Read(Path.Combine(Dir("whole"), MatrixResult.FileName));
        var merged = MatrixResult.Read(Path.Combine(Dir("merged"), MatrixResult.FileName));
        Assert.Equal(["1/1"], unsharded.Shards);
        Assert.Equal(["1/2", "2/2"], merged.Shards);
        Assert.Equal(unsharded.PlanSha256, merged.PlanSha256);
        Assert.Equal(6, unsharded.Cells.Count);
        Assert.Equal(Comparable(unsharded), Comparable(merged));
        Assert.True(unsharded.Cells.Sum(c => c.Runs.Count) == 12, whole.Out + whole.Error);
        var exit = unsharded.Verdict.ExitCode();
        Assert.Equal([exit, exit], new[] { whole.Exit, merge.Exit });
        var shardCells = new[] { "first", "second" }
            .Sum(s => MatrixResult.Read(Path.Combine(Dir(s), MatrixResult.FileName)).Cells.Count);
        Assert.Equal(unsharded.Cells.Count, shardCells);
        Assert.All(merged.Cells.SelectMany(c => c.Runs), run =>
            Assert.True(File.Exists(Path.Combine(Dir("merged"), run.RunDirectory, "report.html")), run.RunDirectory));
        Assert.True(first.Exit is 0 or 1 or 2 && second.Exit is 0 or 1 or 2, first.Error + second.Error);
    }

    [Fact]
    public async Task An_interrupted_matrix_records_every_run_it_stored_and_exits_130()
    {
        // Simulated hours: each run takes tens of seconds of CPU, so the interrupt lands in the first
        // or second run on any machine (smoke's 8 s runs all finish in about a second when idle).
        Directory.CreateDirectory(_store.Root);
        var hours = Path.Combine(_store.Root, "hours.yaml");
        File.WriteAllText(hours, File.ReadAllText(Smoke).Replace("time-limit: 8", "time-limit: 3600"));
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var result = await Invocation.Of(["matrix", hours, "--store", Dir("cut")], interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, result.Exit);
        var recorded = MatrixResult.Read(Path.Combine(Dir("cut"), MatrixResult.FileName));
        var stored = Directory.EnumerateFiles(Dir("cut"), "history.jsonl", SearchOption.AllDirectories)
            .Select(h => Path.GetRelativePath(Dir("cut"), Path.GetDirectoryName(h)!))
            .Where(d => d != "latest").Order().ToList();
        Assert.NotEmpty(stored);
        Assert.Equal(stored, recorded.Cells.SelectMany(c => c.Runs).Select(r => r.RunDirectory).Order());
        Assert.True(recorded.Cells.Sum(c => c.Runs.Count) < 12);
    }

    [Fact]
    public async Task Merge_refuses_a_shard_given_twice_in_one_line()
    {
        await Invocation.Of(["matrix", Smoke, "--shard", "2/3", "--store", Dir("part")]);

        var result = await Invocation.Of(["merge", Dir("part"), Dir("part"), "--output", Dir("merged")]);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Equal(["coup: shard 2/3 is given twice; give each shard's store once"], result.ErrorLines);
    }

    [Fact]
    public void Merge_refuses_shards_of_different_plans_and_of_different_splits()
    {
        static MatrixResult Shard(string sha, string shard, string cell) => new()
        {
            Plan = "p",
            PlanSha256 = sha,
            Shards = [shard],
            StartedAt = default,
            FinishedAt = default,
            Cells =
            [
                new CellResult
                {
                    Id = cell,
                    Target = "raft",
                    IsSystem = false,
                    Nemesis = [],
                    Runtime = "sim",
                    Nodes = 5,
                    Runs = [],
                },
            ],
        };
        var a = new string('a', 64);
        var b = new string('b', 64);

        static MatrixMergeException Refusal(params MatrixResult[] shards) =>
            Assert.Throws<MatrixMergeException>(() => MatrixMerge.Merge(shards));

        var plans = Refusal(Shard(a, "1/2", "x"), Shard(b, "2/2", "y"));
        var splits = Refusal(Shard(a, "1/2", "x"), Shard(a, "2/3", "y"));
        var cells = Refusal(Shard(a, "1/2", "x"), Shard(a, "2/2", "x"));

        Assert.Equal("the shards are of different plans: p (sha256 aaaaaaaaaaaa) and p (sha256 bbbbbbbbbbbb); "
            + "merge the shards of one plan file", plans.Message);
        Assert.Equal("the shards split the plan differently (1/2, 2/3); "
            + "merge the shards of one split (all i/n with the same n)", splits.Message);
        Assert.Equal("cell x is in more than one shard; the shards overlap", cells.Message);
        Assert.Equal(["2/2"], MatrixMerge.Missing(MatrixMerge.Merge([Shard(a, "1/2", "x")])));
    }

    /// <summary>
    /// What two runs of one plan must agree on: everything but times, durations and directory names.
    /// </summary>
    private static IReadOnlyList<string> Comparable(MatrixResult result) =>
    [
        .. result.Cells.Select(c => $"{c.Id} {c.Verdict} " + string.Join("; ", c.Runs.Select(r =>
            $"seed {r.Seed} {r.Verdict} exit {r.ExitCode} "
            + $"{string.Join(",", r.Checks.Select(k => $"{k.Key}={k.Value}"))} "
            + $"failover {string.Join(",", r.FailoverMs)} without {r.FailoversWithoutLeader} "
            + $"split {r.SplitBrainMs} unavailable {r.UnavailableMs} "
            + $"cost {r.MessagesPerElection}/{r.RoundsPerElection} "
            + $"{r.Reproduce}"))),
    ];

    public void Dispose() => _store.Dispose();
}
