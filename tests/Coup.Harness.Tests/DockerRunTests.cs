using System.Diagnostics;
using Coup.Checkers;
using Coup.Harness.Cli;
using Coup.Harness.Docker;
using Coup.History;
using Docker.DotNet.Models;

namespace Coup.Harness.Tests;

/// <summary>Whole runs on real containers: slow (a minute each), so few and broad.</summary>
[Trait("Category", "Docker")]
public sealed class DockerRunTests
{
    private static string[] DockerRun(TempStore store, string algorithm, string nemesis, int seed, int timeLimitS) =>
        ["run", "--algorithm", algorithm, "--nemesis", nemesis, "--time-limit", $"{timeLimitS}", "--interval", "8",
            "--seed", $"{seed}", "--store", store.Root, "--quiet", "4"];

    [DockerFact]
    public async Task Given_raft_in_containers_When_every_fault_kind_is_injected_Then_it_is_valid_and_leaves_nothing()
    {
        using var store = new TempStore();

        var arguments = DockerRun(store, "raft", "partition,kill,pause,clock", seed: 1, timeLimitS: 45);
        var exit = await CoupCli.InvokeAsync(arguments, CancellationToken.None);

        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var results = store.AssertValid(exit);
        var starts = history.Faults.Where(f => f.Phase == "start").ToList();
        Assert.Equal(4, starts.Select(f => f.Kind).Distinct().Count());
        Assert.Equal(starts.Count, history.Faults.Count(f => f.Phase == "stop"));
        var leaderFaults = starts.Count(f => f.Kind != "clock"
            && f.Detail.Contains("leader", StringComparison.Ordinal));
        Assert.True(results.Failovers.Count() >= leaderFaults);
        Assert.True(File.Exists(store.LatestFile("report.html")));
        Assert.True(File.Exists(store.LatestFile("junit.xml")));
        Assert.True(File.Exists(Path.Combine(store.Latest, "nodes", "n1", "node.log")));
        await NemesisParity.AssertSimulatorPlaysTheSameAsync(store, arguments);
        await AssertNothingLeftAsync(store);
    }

    [DockerFact]
    public async Task Given_raft_in_containers_When_chased_Then_the_leader_then_its_successor_is_cut_off_validly()
    {
        using var store = new TempStore();

        var arguments = DockerRun(store, "raft", "chase", seed: 3, timeLimitS: 20);
        var exit = await CoupCli.InvokeAsync(arguments, CancellationToken.None);

        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        store.AssertValid(exit);
        var starts = history.Faults.Where(f => f.Phase == "start").ToList();
        var successor = starts.First(f => f.Detail.Contains("then its successor", StringComparison.Ordinal));
        var isolated = starts[starts.IndexOf(successor) - 1].Targets.Single();
        var chased = successor.Targets.Single(t => t != isolated);
        // The successor was a leader of a higher term when it was cut off, and both cuts were healed.
        Assert.Contains(history.States, s => s.Node == chased && s.IsLeader && s.TimeNs <= successor.TimeNs);
        Assert.Equal(3, successor.Components!.Count);
        Assert.Equal(starts.Count, history.Faults.Count(f => f.Phase == "stop"));
        await NemesisParity.AssertSimulatorPlaysTheSameAsync(store, arguments);
        await AssertNothingLeftAsync(store);
    }

    [DockerFact]
    public async Task Given_forgetful_raft_in_containers_When_amnesia_strikes_Then_sleeper_and_successor_lead_a_term()
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(
            DockerRun(store, "raft-forgets-vote", "amnesia", seed: 5, timeLimitS: 30), CancellationToken.None);

        AmnesiaTests.AssertTwoLeadersOfOneTermWereTheSleeperAndTheSuccessor(store, exit);
        await AssertNothingLeftAsync(store);
    }

    [DockerFact]
    public async Task Given_raft_in_containers_When_amnesia_strikes_Then_voters_deny_the_sleeper_the_new_term_validly()
    {
        using var store = new TempStore();

        var arguments = DockerRun(store, "raft", "amnesia", seed: 5, timeLimitS: 30);
        var exit = await CoupCli.InvokeAsync(arguments, CancellationToken.None);

        store.AssertValid(exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        AmnesiaTests.AssertTheSleeperAskedForTheSuccessorsTermAndNeverLedIt(history);
        await NemesisParity.AssertSimulatorPlaysTheSameAsync(store, arguments);
        await AssertNothingLeftAsync(store);
    }

    [DockerFact]
    public async Task Given_kafka_in_containers_When_cut_and_killed_Then_it_is_valid_and_partition_leaders_ack_writes()
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(
            DockerRun(store, "kafka", "partition,kill", seed: 1, timeLimitS: 30), CancellationToken.None);

        store.AssertValid(exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        PartitionLeaderRunTests.AssertWritesFollowTheirPartitionLeaders(history);
        await AssertNothingLeftAsync(store);
    }

    [DockerFact]
    public async Task Given_bully_in_containers_When_partitioned_Then_it_is_invalid_and_names_the_overlapping_leaders()
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(
            DockerRun(store, "bully", "partition", seed: 2, timeLimitS: 30), CancellationToken.None);

        Assert.Equal(1, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        OverlappingLeaders.AssertNamedAsTheHistoryShows(history, ResultsFile.Read(store.LatestFile("results.json")));
        await AssertNothingLeftAsync(store);
    }

    [DockerFact]
    public async Task Given_a_run_in_containers_When_interrupted_Then_it_exits_promptly_and_keeps_what_it_recorded()
    {
        using var store = new TempStore();
        // The images first: a run builds one that is missing before it records anything, and a build (after the
        // nodes' code changed) can take longer than the 20 s this run is given.
        using (var docker = await DockerEngine.ConnectAsync(CancellationToken.None))
        {
            await NodeImage.EnsureAsync(docker, TextWriter.Null, CancellationToken.None);
            await NodeImage.EnsureReaperAsync(docker, TextWriter.Null, CancellationToken.None);
        }
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stopwatch = Stopwatch.StartNew();

        var exit = await CoupCli.InvokeAsync(
            DockerRun(store, "raft", "partition,kill", seed: 3, timeLimitS: 120), interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, exit);
        Assert.True(
            stopwatch.Elapsed < TimeSpan.FromSeconds(20 + 15),
            $"took {stopwatch.Elapsed.TotalSeconds:0.0}s after the interrupt at 20s");
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.Equal("interrupted", history.End?.Reason);
        Assert.True(File.Exists(store.LatestFile("report.html")));
        await AssertNothingLeftAsync(store);
    }

    /// <summary>Nothing labelled with this run's id is left (other runs may be going on at the same time).</summary>
    private static async Task AssertNothingLeftAsync(TempStore store)
    {
        var runId = RunHistory.Read(store.LatestFile("history.jsonl")).Run.RunId;
        Assert.NotNull(runId);
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{DockerCluster.RunLabel}={runId}"] = true }
        };
        Assert.Empty(await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filter }));
        Assert.Empty(await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }));
    }
}
