using System.CommandLine;
using System.Text.Json;
using Coup.Harness.Cli;
using Coup.Harness.Run;
using Coup.Harness.Swarm;

namespace Coup.Harness.Tests;

/// <summary>
/// <c>coup swarm</c>: each seed draws its own run, purely; a seed gives the same history whatever ran it;
/// broken variants are caught and grouped by anomaly, correct ones are not.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SwarmTests : IDisposable
{
    private readonly TempStore _store = new();

    private string Dir(string name) => Path.Combine(_store.Root, name);

    [Fact]
    public void GivenOneSeed_WhenDrawnTwice_ThenTheSamePlanComesBack()
    {
        var first = SwarmDraw.Plan("raft", 42, RunStore.DefaultRoot);
        var second = SwarmDraw.Plan("raft", 42, RunStore.DefaultRoot);

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.NotEqual(first.Command, SwarmDraw.Plan("raft", 43, RunStore.DefaultRoot).Command);
    }

    [Fact]
    public void GivenManySeeds_WhenDrawn_ThenEveryFamilyAndSizeComesUpAndEveryPlanIsOneCoupRunAccepts()
    {
        var plans = Enumerable.Range(1, 2000).Select(s => SwarmDraw.Plan("raft", s, RunStore.DefaultRoot)).ToList();
        var names = plans.SelectMany(p => p.Nemesis.Select(c => c.Name)).ToList();

        foreach (var plan in plans)
        {
            plan.Validated();
            Assert.InRange(plan.TimeLimitS, SwarmDraw.TimeLimitSMin, SwarmDraw.TimeLimitSMax);
            Assert.InRange(plan.IntervalS, SwarmDraw.IntervalSMin, SwarmDraw.IntervalSMax);
            Assert.InRange(plan.QuietS, SwarmDraw.QuietSMin, SwarmDraw.QuietSMax);
            Assert.NotEmpty(plan.Nemesis);
            Assert.Equal(RuntimeKind.Sim, plan.Runtime);
        }
        Assert.Equal([3, 4, 5, 6, 7], plans.Select(p => p.Nodes).Distinct().Order());
        Assert.All(SwarmDraw.FamilyNames, family => Assert.Contains(names, n =>
            n == family || (family == "partition-shape" ? n.StartsWith("partition-", StringComparison.Ordinal)
                : n.StartsWith(family + "=", StringComparison.Ordinal))));
        Assert.All(Coup.Faults.PartitionSpec.Names, shape => Assert.Contains(names, n => n.StartsWith(shape)));
        Assert.DoesNotContain(plans, p => p.Nodes < Coup.Faults.FaultKinds.AmnesiaNodesMin
            && p.Nemesis.Any(c => c.Name == "amnesia"));
    }

    /// <summary>
    /// A delay aims at messages of an older term still in flight when a newer election starts: it hits
    /// several senders (one slow node rarely leaves such a message behind) and outlasts the timeout.
    /// </summary>
    [Fact]
    public void GivenManySeeds_WhenDrawn_ThenEveryPacketDelayHitsSeveralNodesForLongerThanTheElectionTimeout()
    {
        var delays = Enumerable.Range(1, 2000).Select(s => SwarmDraw.Plan("raft", s, RunStore.DefaultRoot))
            .SelectMany(p => p.Nemesis.Select(c => c.Name)).Where(n => n.StartsWith("packet-delay=")).ToList();

        Assert.NotEmpty(delays);
        Assert.All(delays, name =>
        {
            var target = name.Contains(':') ? name[(name.IndexOf(':') + 1)..] : "all";
            Assert.Contains(target, new[] { "minority", "majority", "all" });
            var delayMs = int.Parse(new string([.. name["packet-delay=".Length..].TakeWhile(char.IsAsciiDigit)]));
            Assert.InRange(delayMs, SwarmDraw.ElectionTimeoutMsMax + 1, SwarmDraw.DelayMsMax);
        });
    }

    [Fact]
    public async Task GivenDrawnPlans_WhenTheirReproduceLinesAreParsedByCoupRun_ThenTheSamePlansComeBack()
    {
        foreach (var seed in Enumerable.Range(1, 100))
        {
            var plan = SwarmDraw.Plan("zab", seed, RunStore.DefaultRoot);
            RunPlan? parsed = null;
            var root = new RootCommand { RunCommand.Create((p, _) => Task.FromResult((parsed = p) is null ? 1 : 0)) };

            Assert.Equal(0, await root.Parse(plan.Command.Split(' ')[1..]).InvokeAsync());
            Assert.Equal(JsonSerializer.Serialize(plan), JsonSerializer.Serialize(parsed));
        }
    }

    [Theory]
    [InlineData("--seeds", "0")]
    [InlineData("--seeds", "1000001")]
    [InlineData("--parallel", "0")]
    [InlineData("--parallel", "65")]
    [InlineData("--first-seed", "-1")]
    [InlineData("--algorithm", "paxos")]
    public async Task GivenAnOptionOutOfRange_WhenSwarmIsInvoked_ThenItIsAOneLineUsageError(
        string option, string value)
    {
        string[] args = option == "--algorithm" ? ["swarm", option, value] : ["swarm", "-a", "raft", option, value];

        var result = await Invocation.Of([.. args, "--store", Dir("bad")]);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Single(result.ErrorLines);
        Assert.False(Directory.Exists(Path.Combine(Dir("bad"), "swarm")));
    }

    [Fact]
    public async Task GivenSeedsThatRunPastTheLastSeed_WhenSwarmIsInvoked_ThenItIsAUsageError()
    {
        var result = await Invocation.Of(
            ["swarm", "-a", "raft", "--first-seed", "2147483647", "--seeds", "2", "--store", Dir("past")]);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("goes past the last seed", result.Error);
    }

    [Fact]
    public async Task GivenTheSameSeeds_WhenRunWithParallel1And2AndInAnotherProcess_ThenEveryHistoryIsTheSameBytes()
    {
        string[] Args(string store, int parallel) =>
            ["swarm", "-a", "raft", "--seeds", "4", "--first-seed", "7", "--parallel", $"{parallel}", "--keep-all",
                "--store", store];
        await Invocation.Of(Args(Dir("one"), 1));
        await Invocation.Of(Args(Dir("two"), 2));
        var coup = typeof(CoupCli).Assembly.Location;
        using var process = System.Diagnostics.Process.Start("dotnet", [coup, .. Args(Dir("other"), 2)])!;
        await process.WaitForExitAsync();

        var one = Histories(Dir("one"));
        Assert.Equal(4, one.Count);
        Assert.Equal(one, Histories(Dir("two")));
        Assert.Equal(one, Histories(Dir("other")));
    }

    [Fact]
    public async Task GivenABrokenVariant_WhenASmallSwarmRuns_ThenItsFailingSeedsAreGroupedWithReproduceLines()
    {
        var result = await Invocation.Of(["swarm", "-a", "zab-early-claim", "--seeds", "8", "--store", Dir("zab")]);

        var summary = Summary(Dir("zab"));
        Assert.Equal(ExitCodes.Invalid, result.Exit);
        Assert.Equal(8, summary.SeedsDone);
        Assert.True(summary.Invalid > 0, result.Out);
        var safety = Assert.Single(summary.Groups, g => g.Anomaly == "election-safety: same-term-leaders");
        Assert.All(safety.Examples, e => Assert.Equal(
            SwarmDraw.Plan("zab-early-claim", e.Seed, RunStore.DefaultRoot).Command, e.Reproduce));
        Assert.All(safety.Examples, e => Assert.StartsWith("./coup run --algorithm zab-early-claim", e.Reproduce));
        Assert.All(safety.Seeds, s => Assert.True(
            File.Exists(Path.Combine(SwarmDirectory(Dir("zab")), "seeds", $"{s}", RunStore.HistoryFile))));
        Assert.Contains("election-safety: same-term-leaders (invalid)", result.Out);
        Assert.Contains($"seed {safety.Seeds[0]}: ./coup run --algorithm zab-early-claim", result.Out);
    }

    [Fact]
    public async Task GivenRaft_WhenASmallSwarmRuns_ThenNoSeedFailsAndNoHistoryIsKept()
    {
        var result = await Invocation.Of(["swarm", "-a", "raft", "--seeds", "8", "--store", Dir("raft")]);

        var summary = Summary(Dir("raft"));
        Assert.True(result.Exit == ExitCodes.Valid, result.Out + result.Error);
        Assert.Equal((8, 8, 0), (summary.SeedsDone, summary.Valid, summary.Groups.Count));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(SwarmDirectory(Dir("raft")), "seeds")));
        Assert.Equal(8, File.ReadLines(Path.Combine(SwarmDirectory(Dir("raft")), SwarmSummary.SeedsFile)).Count());
    }

    [Fact]
    public async Task GivenALongSwarm_WhenInterrupted_ThenItStopsAndSavesTheSummaryOfTheSeedsDone()
    {
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var result = await Invocation.Of(
            ["swarm", "-a", "raft", "--seeds", "100000", "--store", Dir("cut")], interrupt.Token);

        var summary = Summary(Dir("cut"));
        Assert.Equal(ExitCodes.Interrupted, result.Exit);
        Assert.True(summary.Interrupted);
        Assert.InRange(summary.SeedsDone, 0, 99_999);
        Assert.Equal(summary.SeedsDone,
            File.ReadLines(Path.Combine(SwarmDirectory(Dir("cut")), SwarmSummary.SeedsFile)).Count());
        Assert.Contains("interrupted", result.Out);
    }

    private static string SwarmDirectory(string store) =>
        Directory.EnumerateFiles(store, SwarmSummary.JsonFile, SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName).Single()!;

    private static SwarmSummary Summary(string store) =>
        SwarmSummary.Read(Path.Combine(SwarmDirectory(store), SwarmSummary.JsonFile));

    /// <summary>Each kept seed's history, as the SHA-256 of its bytes, in seed order.</summary>
    private static IReadOnlyList<string> Histories(string store) =>
    [
        .. Directory.EnumerateDirectories(Path.Combine(SwarmDirectory(store), "seeds")).Order(StringComparer.Ordinal)
            .Select(d => (Seed: Path.GetFileName(d), Bytes: File.ReadAllBytes(Path.Combine(d, RunStore.HistoryFile))))
            .Select(h => $"{h.Seed} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(h.Bytes))}"),
    ];

    public void Dispose() => _store.Dispose();
}
