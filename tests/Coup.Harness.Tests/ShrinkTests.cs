using Coup.Checkers;
using Coup.Faults;
using Coup.Faults.Timelines;
using Coup.Harness.Cli;
using Coup.Harness.Shrink;
using Coup.History;

namespace Coup.Harness.Tests;

public sealed class ShrinkerTests
{
    private static PlannedFault Fault(double startS, int seed, FaultKind kind = FaultKind.Partition) => new()
    {
        StartS = startS,
        HoldS = 2,
        Kind = kind,
        Target = TargetChoice.IsolateLeader,
        ChoiceSeed = seed,
    };

    [Fact]
    public void Given_an_anomaly_that_needs_one_fault_and_four_nodes_When_shrunk_Then_only_that_remains()
    {
        // The "anomaly": fault 7 is played, on at least four nodes; nothing else matters.
        var faults = Enumerable.Range(1, 12).Select(i => Fault(6 * i, i)).ToList();
        var original = new ShrinkCandidate { Tracks = [faults], Nodes = 7, Clients = 5, TimeLimitS = 90 };
        var shrinker = new Shrinker(c => c.Nodes >= 4 && c.Tracks.SelectMany(t => t).Any(f => f.ChoiceSeed == 7),
            runsMax: 500);

        var smallest = shrinker.Shrink(original, CancellationToken.None);

        var kept = Assert.Single(Assert.Single(smallest.Tracks));
        Assert.Equal(7, kept.ChoiceSeed);
        Assert.Equal(4, smallest.Nodes);
        Assert.Equal(0, smallest.Clients);
        // Moved earlier, but not before the cluster could elect; the run ends a second after it heals.
        Assert.InRange(kept.StartS, Shrinker.SettleS, 42);
        Assert.Equal(Math.Ceiling(kept.StopS + Shrinker.TailS), smallest.TimeLimitS);
        Assert.True(shrinker.Runs < 100, $"{shrinker.Runs} runs");
    }

    [Fact]
    public void Given_faults_in_parallel_tracks_When_shrunk_Then_each_kept_fault_stays_in_its_track()
    {
        var delay = new PlannedFault
        {
            StartS = 1,
            HoldS = 50,
            Kind = FaultKind.Packet,
            Target = TargetChoice.RandomNode,
            ChoiceSeed = 100,
        };
        var chases = Enumerable.Range(1, 6).Select(i => Fault(7 * i, i, FaultKind.Chase)).ToList();
        var original = new ShrinkCandidate { Tracks = [[delay], chases], Nodes = 5, Clients = 3, TimeLimitS = 60 };
        var shrinker = new Shrinker(c => c.Tracks[0].Count == 1 && c.Tracks[1].Any(f => f.ChoiceSeed == 3), 500);

        var smallest = shrinker.Shrink(original, CancellationToken.None);

        Assert.Equal(100, Assert.Single(smallest.Tracks[0]).ChoiceSeed);
        Assert.Equal(3, Assert.Single(smallest.Tracks[1]).ChoiceSeed);
    }

    [Fact]
    public void Given_a_budget_When_it_is_spent_Then_the_smallest_found_so_far_is_returned()
    {
        var faults = Enumerable.Range(1, 20).Select(i => Fault(3 * i, i)).ToList();
        var original = new ShrinkCandidate { Tracks = [faults], Nodes = 5, Clients = 3, TimeLimitS = 70 };
        var shrinker = new Shrinker(c => c.FaultCount > 0, runsMax: 3);

        var smallest = shrinker.Shrink(original, CancellationToken.None);

        Assert.Equal(3, shrinker.Runs);
        Assert.InRange(smallest.FaultCount, 1, 19);
    }
}

/// <summary>coup shrink and coup replay on a broken variant in the simulator.</summary>
public sealed class ShrinkRunTests
{
    [Fact]
    public async Task Given_a_failing_zab_early_claim_run_When_shrunk_Then_a_smaller_run_shows_it_and_replays()
    {
        using var store = new TempStore();
        var exit = await CoupCli.InvokeAsync(
            ["run", "--algorithm", "zab-early-claim", "--runtime", "sim", "--nemesis", "partition,kill,chase",
                "--time-limit", "60", "--interval", "6", "--seed", "1", "--store", store.Root, "--quiet", "5"],
            CancellationToken.None);
        Assert.Equal(ExitCodes.Invalid, exit);
        var original = Resolved(store.Latest);
        var before = RunHistory.Read(Path.Combine(original, "history.jsonl"));

        exit = await CoupCli.InvokeAsync(["shrink", original, "--store", store.Root], CancellationToken.None);

        Assert.Equal(ExitCodes.Invalid, exit);
        var shrunk = Resolved(store.Latest);
        Assert.NotEqual(original, shrunk);
        var after = RunHistory.Read(Path.Combine(shrunk, "history.jsonl"));
        var results = ResultsFile.Read(Path.Combine(shrunk, "results.json"));
        Assert.Contains(results.Checks, c => c.Checker == "election-safety" && c.Verdict == Verdict.Invalid);
        Assert.True(after.Faults.Count() < before.Faults.Count());
        Assert.True(after.Run.TimeLimitS < before.Run.TimeLimitS);
        Assert.True(File.Exists(Path.Combine(shrunk, "report.html")));
        // The timeline written beside it reads back as the faults the shrunk run played.
        var yaml = Path.Combine(shrunk, ShrinkRun.TimelineFile);
        Assert.Equal(after.Run.Timeline!.ToJsonString(),
            TimelineWriter.ToJson(Plans.TimelineFile.Load(yaml)).ToJsonString());

        // The simulator is deterministic: replaying the shrunk run there shows the anomaly again.
        exit = await CoupCli.InvokeAsync(["replay", shrunk, "--runtime", "sim", "--store", store.Root],
            CancellationToken.None);

        Assert.Equal(ExitCodes.Invalid, exit);
        var outcome = File.ReadAllText(Path.Combine(store.Latest, ReplayRun.OutcomeFile));
        Assert.Contains(
            "\"reproduced\": [\n    \"election-safety: same-term-leaders\"", outcome.ReplaceLineEndings("\n"));
    }

    private static string Resolved(string link) => new DirectoryInfo(link).ResolveLinkTarget(true)!.FullName;
}

[Collection(ConsoleCollection.Name)]
public sealed class ShrinkRefusalTests
{
    [Fact]
    public async Task Given_a_valid_run_When_shrunk_Then_it_is_refused_in_one_line()
    {
        using var store = new TempStore();
        await Invocation.Of(["run", "--runtime", "sim", "--nemesis", "kill", "--time-limit", "10", "--seed", "1",
            "--store", store.Root]);

        var shrink = await Invocation.Of(["shrink", store.Latest, "--store", store.Root]);

        Assert.Equal(ExitCodes.Usage, shrink.Exit);
        Assert.Contains("is valid: shrink needs an invalid run", Assert.Single(shrink.ErrorLines));
    }
}

/// <summary>coup replay of a shrunk simulator failure in real containers.</summary>
[Trait("Category", "Docker")]
public sealed class ReplayDockerTests
{
    [DockerFact]
    public async Task Given_a_shrunk_zab_early_claim_failure_When_replayed_in_containers_Then_its_chase_plays_on_time()
    {
        using var store = new TempStore();
        // What `coup shrink` made of seed 1's failure (docs/algorithms.md): one chase, five nodes, no clients.
        const string Timeline =
            """[{"at":3.2201468029153304,"fault":"chase","hold":2.5858696478353207,"seed":1539108053}]""";
        var exit = await CoupCli.InvokeAsync(
            ["run", "--algorithm", "zab-early-claim", "--runtime", "sim", "--timeline", Timeline, "--time-limit", "7",
                "--seed", "1", "--clients", "0", "--store", store.Root], CancellationToken.None);
        Assert.Equal(ExitCodes.Invalid, exit);
        var simulated = store.Latest;

        exit = await CoupCli.InvokeAsync(["replay", simulated, "--runtime", "docker", "--store", store.Root],
            CancellationToken.None);

        Assert.Contains(exit, new[] { ExitCodes.Valid, ExitCodes.Invalid });
        var replay = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.Equal("docker", replay.Run.Runtime);
        var chase = replay.Faults.First(f => f.Phase == "start");
        Assert.Equal("partition", chase.Kind);
        Assert.True(chase.TimeNs >= 3_220_000_000L, $"the chase started at {chase.TimeNs / 1e9} s");
        // Whether it came back in containers or not, the one anomaly is accounted for, once.
        var outcome = System.Text.Json.JsonDocument.Parse(File.ReadAllText(store.LatestFile(ReplayRun.OutcomeFile)));
        var reproduced = outcome.RootElement.GetProperty("reproduced").EnumerateArray().Select(e => e.GetString());
        var missing = outcome.RootElement.GetProperty("notReproduced").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(["election-safety: same-term-leaders"], reproduced.Concat(missing));
        Assert.Equal(
            exit == ExitCodes.Invalid,
            reproduced.Any() || outcome.RootElement.GetProperty("new").GetArrayLength() > 0);
    }
}
