using Coup.Checkers;
using Coup.Harness.Cli;
using Coup.History;

namespace Coup.Harness.Tests;

public sealed class SimulatedRunTests
{
    private static Task<int> Coup(params string[] args) => CoupCli.InvokeAsync(args, CancellationToken.None);

    private static string[] SimRun(TempStore store, string algorithm, string nemesis, int seed, int timeLimitS = 60) =>
        ["run", "--runtime", "sim", "--algorithm", algorithm, "--nemesis", nemesis, "--time-limit", $"{timeLimitS}",
            "--seed", $"{seed}", "--store", store.Root];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Given_raft_under_every_fault_kind_When_simulated_Then_it_is_valid_and_every_fault_is_healed(
        int seed)
    {
        using var store = new TempStore();

        var exit = await Coup(SimRun(store, "raft", "partition,kill,pause,clock", seed));

        Assert.Equal(0, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var faults = history.Faults.ToList();
        Assert.NotEmpty(faults);
        Assert.Equal(faults.Count(f => f.Phase == "start"), faults.Count(f => f.Phase == "stop"));
        Assert.Contains(history.States, s => s.IsLeader);
        foreach (var name in new[] { "results.json", "report.html", "junit.xml", "plan.json" })
        {
            Assert.True(File.Exists(store.LatestFile(name)), $"{name} is missing");
        }
    }

    [Theory]
    [InlineData("pause", 0, 0)]
    [InlineData("clock", 1, 600_000)]
    public async Task Given_a_simulated_run_When_nodes_report_their_clocks_Then_they_read_unix_ms_off_by_the_skew_only(
        string nemesis, double skewMsMin, double skewMsMax)
    {
        using var store = new TempStore();

        // Seed 11 bumps a node's clock while it has something to say (most clock faults change no role).
        await Coup(SimRun(store, "raft", nemesis, seed: 11, timeLimitS: 30));

        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var startMs = history.Run.StartedAt.ToUnixTimeMilliseconds();
        var skewsMs = history.States.Where(s => s.NodeWallMs is not null)
            .Select(s => Math.Abs(s.NodeWallMs!.Value - (startMs + s.TimeNs / 1e6))).ToList();
        Assert.NotEmpty(skewsMs);
        // Whole ms: a reading is rounded down, so up to 1 ms apart with no skew at all.
        Assert.InRange(skewsMs.Max(), skewMsMin, skewMsMax + 1);
    }

    [Fact]
    public async Task Given_a_nemesis_with_a_target_When_run_Then_the_store_path_has_no_colon_but_the_test_name_does()
    {
        using var store = new TempStore();

        await Coup(SimRun(store, "raft", "partition-one-way-in:leader", seed: 1, timeLimitS: 20));

        var run = Assert.Single(Directory.GetDirectories(store.Root), d => !d.EndsWith("latest"));
        Assert.Equal("raft-partition-one-way-in@leader", Path.GetFileName(run));
        Assert.Equal("raft-partition-one-way-in:leader", RunHistory.Read(store.LatestFile("history.jsonl")).Run.Test);
    }

    [Fact]
    public async Task Given_raft_When_a_fault_takes_the_leader_away_Then_the_results_give_its_failover_latency()
    {
        using var store = new TempStore();

        await Coup(SimRun(store, "raft", "kill", seed: 4));

        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var results = ResultsFile.Read(store.LatestFile("results.json"));
        var leaderKills = history.Faults.Count(f => f.Phase == "start"
            && f.Detail.StartsWith("leader", StringComparison.Ordinal));
        Assert.True(leaderKills > 0, "seed 4 should kill a leader at least once");
        Assert.True(results.Failovers.Count() >= leaderKills);
        Assert.All(results.Failovers, f => Assert.NotNull(f.ToMajorityLeaderNs));
    }

    [Fact]
    public async Task Given_bully_under_partitions_When_simulated_Then_it_is_invalid_naming_the_overlapping_leaders()
    {
        using var store = new TempStore();

        var exit = await Coup(SimRun(store, "bully", "partition", seed: 1));

        Assert.Equal(1, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        OverlappingLeaders.AssertNamedAsTheHistoryShows(history, ResultsFile.Read(store.LatestFile("results.json")));
    }

    /// <summary>
    /// Each chase in the history: the partition that isolated the leader, and the one that followed it to its
    /// successor.
    /// </summary>
    private static List<(FaultEvent First, FaultEvent Successor)> Chases(RunHistory history)
    {
        var starts = history.Faults.Where(f => f.Phase == "start" && f.Kind == "partition").ToList();
        return [.. starts.Zip(starts.Skip(1))
            .Where(p => p.Second.Detail.Contains("then its successor", StringComparison.Ordinal))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Given_zab_early_claim_When_chased_Then_the_successor_is_cut_mid_claim_and_two_lead_an_epoch(
        int seed)
    {
        // zab-early-claim claims at NEWEPOCH, before a quorum acknowledged the epoch ("upon receiving
        // ACKEPOCH from all followers in Q", Zab paper, Algorithm 1, comes first). Cut off at that
        // instant, its NEWEPOCH is lost, and the rest establish the same epoch again.
        using var store = new TempStore();

        var exit = await Coup(SimRun(store, "zab-early-claim", "chase", seed, timeLimitS: 30));

        Assert.Equal(1, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var (first, successor) = Chases(history).First();
        var chased = Assert.Single(successor.Targets, t => !first.Targets.Contains(t));
        Assert.Equal(3, successor.Components!.Count);
        // Cut off in the same instant as its claim.
        Assert.Contains(history.States, s => s.Node == chased && s.IsLeader && s.TimeNs == successor.TimeNs);
        var results = ResultsFile.Read(store.LatestFile("results.json"));
        var twoLeaders = results.Checks.Single(c => c.Checker == "election-safety").Anomalies.First();
        Assert.Contains(chased, twoLeaders.Nodes);
        Assert.Equal(2, twoLeaders.Nodes.Distinct().Count());
        Assert.Single(twoLeaders.Terms.Distinct());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Given_zab_When_chased_Then_each_epoch_has_one_leader_and_the_run_is_valid(int seed)
    {
        // A quorum accepted the epoch before its leader claimed it, so the rest must choose a higher one.
        using var store = new TempStore();

        var exit = await Coup(SimRun(store, "zab", "chase", seed, timeLimitS: 30));

        Assert.Equal(0, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.NotEmpty(Chases(history));
        Assert.Equal(history.Faults.Count(f => f.Phase == "start"), history.Faults.Count(f => f.Phase == "stop"));
    }

    [Fact]
    public async Task Given_the_same_seed_When_the_simulator_runs_twice_Then_histories_differ_only_in_start_time()
    {
        using var first = new TempStore();
        using var second = new TempStore();

        await Coup(SimRun(first, "raft", "partition,kill,pause,clock", seed: 9, timeLimitS: 30));
        await Coup(SimRun(second, "raft", "partition,kill,pause,clock", seed: 9, timeLimitS: 30));

        static IReadOnlyList<string> Lines(TempStore s) => SameSeedHistory.Lines(s.LatestFile("history.jsonl"));
        Assert.Equal(Lines(first), Lines(second));
    }

    [Fact]
    public async Task Given_a_seed_When_simulated_in_a_fresh_process_Then_the_history_is_the_one_recorded_here()
    {
        // Same-process runs agree even with per-process hash seeds; only another process shows whether a seed is
        // portable.
        using var here = new TempStore();
        using var there = new TempStore();
        await Coup(SimRun(here, "raft", "partition,kill", seed: 13, timeLimitS: 20));
        var coup = typeof(CoupCli).Assembly.Location;
        using var process = System.Diagnostics.Process.Start(
            "dotnet", [coup, .. SimRun(there, "raft", "partition,kill", seed: 13, timeLimitS: 20)])!;
        await process.WaitForExitAsync();

        static IReadOnlyList<string> Lines(TempStore s) => SameSeedHistory.Lines(s.LatestFile("history.jsonl"));
        Assert.Equal(Lines(here), Lines(there));
    }

    [Theory]
    [InlineData("--algorithm", "paxos")]
    [InlineData("--nodes", "0")]
    [InlineData("--nemesis", "meteor")]
    [InlineData("--time-limit", "-1")]
    public async Task Given_bad_input_When_run_is_invoked_Then_it_is_a_usage_error(string option, string value)
    {
        using var store = new TempStore();

        var exit = await Coup("run", "--runtime", "sim", option, value, "--store", store.Root);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.False(Directory.Exists(store.Latest));
    }
}
