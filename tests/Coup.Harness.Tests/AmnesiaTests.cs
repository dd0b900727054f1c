using Coup.Checkers;
using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Run;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>
/// The amnesia nemesis, which exists to catch a Raft that forgets its vote on restart: Raft's
/// Figure 2 lists votedFor with currentTerm as "persistent state on all servers (updated on stable
/// storage before responding to RPCs)", and "each server will vote for at most one candidate in a
/// given term" only holds if the vote survives a crash.
/// </summary>
public sealed class AmnesiaTests
{
    private static readonly IReadOnlyList<string> Nodes = ["n1", "n2", "n3", "n4", "n5"];

    private static readonly PlannedFault Planned = new()
    {
        StartS = 8,
        HoldS = 4,
        Kind = FaultKind.Amnesia,
        Target = TargetChoice.IsolateLeader,
        ChoiceSeed = 7
    };

    [Fact]
    public void Given_a_bridge_When_its_drops_are_asked_Then_bridging_nodes_reach_both_sides_but_sides_not_each_other()
    {
        var bridge = new Grudge { Components = [["n1"], ["n2", "n3", "n4"], ["n3", "n4", "n5"]] };

        Assert.Equal(["n1", "n5"], bridge.DroppedBy("n2"));
        Assert.Equal(["n1"], bridge.DroppedBy("n3"));
        Assert.Equal(["n1", "n2"], bridge.DroppedBy("n5"));
        Assert.Equal(["n2", "n3", "n4", "n5"], bridge.DroppedBy("n1"));
        Assert.Equal(["n1", "n5"], bridge.Minority);
        Assert.Equal(Nodes, bridge.Nodes);
    }

    [Fact]
    public void Given_an_amnesia_When_it_starts_Then_a_follower_is_paused_and_cut_off_and_so_is_the_leader()
    {
        var parts = FaultTargets.Resolve(Planned, Nodes, leader: "n3");

        Assert.Equal([FaultKind.Pause, FaultKind.Partition], parts.Select(p => p.Kind));
        var sleeper = Assert.Single(parts[0].Targets);
        Assert.NotEqual("n3", sleeper);
        Assert.Equal(
            [["n3"], [sleeper], [.. Nodes.Where(n => n != "n3" && n != sleeper)]], parts[1].Grudge!.Components);
    }

    [Fact]
    public void Given_an_amnesia_When_a_successor_claims_Then_its_voters_bridge_it_and_the_sleeper_and_restart_first()
    {
        var parts = FaultTargets.Resolve(Planned, Nodes, leader: "n3");
        var sleeper = parts[0].Targets[0];
        var successor = Nodes.First(n => n != "n3" && n != sleeper);
        var voters = Nodes.Where(n => n != "n3" && n != sleeper && n != successor).ToList();

        var response = FaultTargets.OnClaim(parts, successor, Nodes)!;

        Assert.Same(parts[1], response.Replaced);
        Assert.Equal([["n3"], [successor, .. voters], [.. voters, sleeper]], response.Cut.Grudge!.Components);
        Assert.Equal(successor, response.Cut.Successor);
        Assert.Equal(FaultKind.Kill, response.Crash!.Kind);
        Assert.Equal(voters, response.Crash.Targets);
        Assert.Same(parts[0], response.Wake);
    }

    [Fact]
    public void Given_an_amnesia_When_the_claim_comes_from_a_node_it_cut_off_or_after_its_step_Then_it_takes_no_step()
    {
        var parts = FaultTargets.Resolve(Planned, Nodes, leader: "n3");
        var sleeper = parts[0].Targets[0];
        var successor = Nodes.First(n => n != "n3" && n != sleeper);
        var stepped = FaultTargets.OnClaim(parts, successor, Nodes)!.Cut;

        Assert.Null(FaultTargets.OnClaim(parts, "n3", Nodes));
        Assert.Null(FaultTargets.OnClaim(parts, sleeper, Nodes));
        Assert.Null(
            FaultTargets.OnClaim([stepped], Nodes.First(n => n != "n3" && n != sleeper && n != successor), Nodes));
    }

    [Fact]
    public void Given_a_chase_When_a_successor_claims_Then_it_is_cut_off_too_and_nothing_is_restarted()
    {
        var chase = FaultTargets.Resolve(Planned with { Kind = FaultKind.Chase }, Nodes, leader: "n3");

        var response = FaultTargets.OnClaim(chase, "n1", Nodes)!;

        Assert.Equal([["n3"], ["n1"], ["n2", "n4", "n5"]], response.Cut.Grudge!.Components);
        Assert.Null(response.Crash);
        Assert.Null(response.Wake);
    }

    [Fact]
    public void Given_amnesia_on_four_nodes_When_the_plan_is_checked_Then_a_one_line_usage_error_names_nodes_it_needs()
    {
        var plan = new RunPlan { Algorithm = "raft", Nodes = 4, Nemesis = [FaultKind.Amnesia], Seed = 1 };

        var error = Assert.Throws<CoupException>(() => plan.Validated());

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("--nemesis amnesia needs at least 5 nodes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Given_raft_forgets_vote_When_a_sleeper_wakes_amid_restarted_voters_Then_two_lead_the_new_term(
        int seed)
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(SimRun(store, "raft-forgets-vote", seed), CancellationToken.None);

        Assert.Equal(1, exit);
        AssertSomeStepReachedItsShape(store);
        AssertTwoLeadersOfOneTermWereTheSleeperAndTheSuccessor(store, exit);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Given_raft_When_a_sleeper_wakes_among_restarted_voters_Then_they_refuse_it_the_new_term_validly(
        int seed)
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(SimRun(store, "raft", seed), CancellationToken.None);

        Assert.Equal(0, exit);
        AssertSomeStepReachedItsShape(store);
        AssertTheSleeperAskedForTheSuccessorsTermAndNeverLedIt(RunHistory.Read(store.LatestFile("history.jsonl")));
    }

    /// <summary>
    /// Every step woke the sleeper after the voters restarted, said whether it reached its shape,
    /// and the sleeper never led in the successor's term; in every step that reached its shape the
    /// sleeper campaigned for that very term (so the voters' memory was put to the test).
    /// </summary>
    internal static void AssertTheSleeperAskedForTheSuccessorsTermAndNeverLedIt(RunHistory history)
    {
        var steps = Steps(history);
        Assert.NotEmpty(steps);
        AssertFaultsPairUp(history);
        foreach (var step in steps)
        {
            Assert.DoesNotContain(history.States, s => s.Node == step.Sleeper && s.IsLeader && s.Term == step.Term);
            if (step.Reached)
            {
                // From the voters' restart on, not from the wake's record: the wake is stamped when the
                // unpause returned, and the sleeper, its timer long expired, can be heard campaigning first.
                // It was paused since before term T existed, so any campaign for T came after it woke.
                var asked = history.States.Any(s => s.Node == step.Sleeper && s.Role == Roles.Candidate
                    && s.Term == step.Term && s.TimeNs >= step.Restarted);
                Assert.True(asked,
                    $"{step.Sleeper} did not campaign for term {step.Term} after it woke: {step.WakeDetail}");
            }
        }
    }

    /// <summary>
    /// Every stop ends an earlier start of the same kind and targets, every start is stopped, and an amnesia restarts
    /// its voters before it wakes the sleeper.
    /// </summary>
    internal static void AssertFaultsPairUp(RunHistory history)
    {
        var open = new List<FaultEvent>();
        foreach (var fault in history.Faults)
        {
            if (fault.Phase == "start")
            {
                open.Add(fault);
                continue;
            }
            var start = open.FirstOrDefault(s => s.Kind == fault.Kind && s.Targets.SequenceEqual(fault.Targets));
            Assert.True(
                start is not null,
                $"a {fault.Kind} stop of {string.Join(",", fault.Targets)} at {fault.TimeNs} ns ends no start");
            open.Remove(start);
        }
        Assert.Empty(open);
        foreach (var step in Steps(history))
        {
            Assert.True(
                step.Restarted <= step.Woken,
                $"{step.Sleeper} woke at {step.Woken} ns, before its voters were restarted at {step.Restarted} ns");
        }
    }

    [Fact]
    public async Task Given_the_same_seed_When_an_amnesia_run_is_repeated_Then_histories_differ_only_in_start_time()
    {
        using var first = new TempStore();
        using var second = new TempStore();

        await CoupCli.InvokeAsync(SimRun(first, "raft-forgets-vote", seed: 2), CancellationToken.None);
        await CoupCli.InvokeAsync(SimRun(second, "raft-forgets-vote", seed: 2), CancellationToken.None);

        static IReadOnlyList<string> Lines(TempStore s) => SameSeedHistory.Lines(s.LatestFile("history.jsonl"));
        Assert.Equal(Lines(first), Lines(second));
        Assert.NotEmpty(Steps(RunHistory.Read(first.LatestFile("history.jsonl"))));
    }

    private static string[] SimRun(TempStore store, string algorithm, int seed) =>
        ["run", "--runtime", "sim", "--algorithm", algorithm, "--nemesis", "amnesia", "--time-limit", "30",
            "--interval", "8", "--seed", $"{seed}", "--store", store.Root, "--quiet", "4"];

    /// <summary>
    /// One amnesia's step as the history records it: the bridge, who slept, who claimed and in which
    /// term, who was restarted, when they answered again and when the sleeper woke.
    /// </summary>
    internal sealed record Step(
        FaultEvent Bridge, string Sleeper, string Successor, long Term, IReadOnlyList<string> Voters,
        long Restarted, long Woken, string WakeDetail)
    {
        /// <summary>
        /// Whether the nemesis saw the fault reach its shape when it woke the sleeper (AmnesiaShape);
        /// why not is in <see cref="WakeDetail"/>.
        /// </summary>
        public bool Reached => WakeDetail.Contains($"; {AmnesiaShape.Reached}: ", StringComparison.Ordinal);
    }

    internal static IReadOnlyList<Step> Steps(RunHistory history)
    {
        var faults = history.Faults.ToList();
        var steps = new List<Step>();
        foreach (var bridge in faults.Where(f => f.Phase == "start" && f.Kind == "partition"
            && f.Components is { Count: 3 } c && c[1].Intersect(c[2]).Any()))
        {
            var components = bridge.Components!;
            var successor = components[1][0];
            var sleeper = components[2][^1];
            var crash = faults.First(f => f.Phase == "start" && f.Kind == "kill" && f.TimeNs >= bridge.TimeNs);
            var restarted = faults
                .First(f => f.Phase == "stop" && f.Kind == "kill" && f.TimeNs >= crash.TimeNs)
                .TimeNs;
            var wake = faults.First(f => f.Phase == "stop" && f.Kind == "pause"
                && f.Targets.SequenceEqual([sleeper]) && f.TimeNs >= bridge.TimeNs);
            // Said on every wake, the step's own or a heal's that came first (the end of the run).
            Assert.True(
                wake.Detail.Contains($"; {AmnesiaShape.Reached}: ", StringComparison.Ordinal)
                    || wake.Detail.Contains($"; {AmnesiaShape.Missed}: ", StringComparison.Ordinal),
                $"the wake of {sleeper} at {wake.TimeNs} ns does not say whether it was in shape: {wake.Detail}");
            var claim = history.States.Last(s => s.Node == successor && s.IsLeader && s.TimeNs <= bridge.TimeNs);
            steps.Add(new Step(
                bridge, sleeper, successor, claim.Term, crash.Targets, restarted, wake.TimeNs, wake.Detail));
        }
        return steps;
    }

    /// <summary>
    /// Every step that reached its shape made the sleeper and the successor two leaders of one term,
    /// and the run invalid; a run where none did says why for each and still ends in a verdict. In
    /// containers a sleeper used to campaign twice in the burst of ticks it fired on waking and win
    /// the term after the successor's (TickBurstTests); nothing now excuses a step in shape.
    /// </summary>
    internal static void AssertTwoLeadersOfOneTermWereTheSleeperAndTheSuccessor(
        TempStore store, int exit)
    {
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var steps = Steps(history);
        Assert.NotEmpty(steps);
        foreach (var step in steps)
        {
            // The crash-restarted voters are exactly those that elected the successor: neither the
            // first leader, nor the sleeper, nor the successor itself.
            Assert.Equal(Nodes.Except([step.Bridge.Components![0][0], step.Sleeper, step.Successor]), step.Voters);
        }
        AssertFaultsPairUp(history);
        var results = ResultsFile.Read(store.LatestFile("results.json"));
        var twoLeaders = results.Checks.Single(c => c.Checker == "election-safety").Anomalies;
        var reached = steps.Where(s => s.Reached).ToList();
        foreach (var step in reached)
        {
            var pair = new[] { step.Sleeper, step.Successor }.Order();
            Assert.True(
                twoLeaders.Any(a =>
                    a.Nodes.Distinct().Order().SequenceEqual(pair) && a.Terms.Distinct().SequenceEqual([step.Term])),
                $"{step.Sleeper} and {step.Successor} were not two leaders of term {step.Term}: {step.WakeDetail}");
        }
        Assert.True(
            reached.Count > 0 || twoLeaders.Count > 0 ? exit == 1 : exit is 0 or 1,
            $"exit {exit}: {string.Join("; ", steps.Select(s => s.WakeDetail))}");
    }

    /// <summary>
    /// On the simulator no load delays a step, but a split vote can carry the successor a term past
    /// the one the sleeper asks for (seed 1's second amnesia: n5 asks for 15, n3 won 16). So some
    /// amnesia of the run reaches its shape, and each that does not says why.
    /// </summary>
    private static void AssertSomeStepReachedItsShape(TempStore store)
    {
        var steps = Steps(RunHistory.Read(store.LatestFile("history.jsonl")));
        Assert.Contains(steps, step => step.Reached);
        Assert.All(steps.Where(s => !s.Reached), step => Assert.Contains("out of shape: ", step.WakeDetail));
    }
}
