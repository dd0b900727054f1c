using Coup.Faults;
using Coup.Harness.Cli;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>
/// One nemesis, two runtimes: for a seed and nemesis, the simulator and the containers must play
/// the same planned faults (kinds, target choices, planned times) in the same order, each
/// resolving leader-targeted faults from its own observations.
/// </summary>
internal static class NemesisParity
{
    /// <summary>One planned fault as a history shows it: the first part's start.</summary>
    public sealed record PlayedFault(double PlannedS, string Kind, TargetChoice Target, FaultEvent Start);

    /// <summary>
    /// The planned faults a history played, checked against the schedule its run-start implies: in
    /// the schedule's order, none skipped, each no earlier than planned, of the planned kind, and a
    /// leader-targeted one aimed at a node this history saw leading (or, with none, at a random one).
    /// </summary>
    public static IReadOnlyList<PlayedFault> Played(RunHistory history)
    {
        var run = history.Run;
        var choices = Inputs.ParseNemesis(string.Join(",", run.Nemesis), out var problem)
            ?? throw new InvalidOperationException(problem);
        var schedule = FaultSchedule.Plan(choices, run.TimeLimitS, run.IntervalS, run.Seed);
        var firstParts = history.Faults.Where(f => f.Phase == "start")
            .GroupBy(f => f.PlannedS ?? throw new InvalidOperationException($"a fault start without plannedS: {f}"))
            .Select(g => g.First())
            .ToList();
        Assert.True(firstParts.Count <= schedule.Count, $"{firstParts.Count} faults played, {schedule.Count} planned");
        var played = new List<PlayedFault>();
        // An amnesia's first part, the pause, names its sleeper, not the leader: it is not checked here.
        foreach (var (start, planned) in firstParts.Zip(schedule))
        {
            Assert.Equal(planned.StartS, start.PlannedS);
            Assert.True(start.TimeNs >= (long)(planned.StartS * 1e9),
                $"{start.Detail} started before {planned.StartS} s");
            Assert.Equal(FirstPartKind(planned.Kind), start.Kind);
            if (planned.Target is TargetChoice.Leader or TargetChoice.IsolateLeader
                && start.Detail.Contains("leader ", StringComparison.Ordinal))
            {
                // The chosen node is the first target: the killed, paused or shifted node, or the isolated one.
                var target = start.Targets[0];
                // Chosen from the observer's word before the mechanism ran; the word may change while it
                // applies (the start is stamped after), so leading seen since the previous fault counts.
                var sinceNs = played.Count == 0 ? 0 : played[^1].Start.TimeNs;
                Assert.True(LedBetween(history, target, sinceNs, start.TimeNs),
                    $"{start.Detail}: {target} was not seen leading");
            }
            played.Add(new PlayedFault(planned.StartS, start.Kind, planned.Target, start));
        }
        return played;
    }

    /// <summary>
    /// Runs the simulator with the container run's options and asserts both played the same planned
    /// faults: every one the container run played (it may end before the last, having been delayed
    /// by slow heals), with the same kinds and target choices.
    /// </summary>
    public static async Task AssertSimulatorPlaysTheSameAsync(TempStore dockerStore, string[] dockerArguments)
    {
        var containers = Played(RunHistory.Read(dockerStore.LatestFile("history.jsonl")));
        using var simStore = new TempStore();
        var simArguments = dockerArguments.Select(a => a == dockerStore.Root ? simStore.Root : a)
            .Concat(["--runtime", "sim"]).ToArray();
        await CoupCli.InvokeAsync(simArguments, CancellationToken.None);
        var simulator = Played(RunHistory.Read(simStore.LatestFile("history.jsonl")));

        Assert.NotEmpty(containers);
        Assert.True(simulator.Count >= containers.Count,
            $"{simulator.Count} in the simulator, {containers.Count} in containers");
        Assert.Equal(
            containers.Select(f => (f.PlannedS, f.Kind, f.Target)),
            simulator.Take(containers.Count).Select(f => (f.PlannedS, f.Kind, f.Target)));
        // The simulator applies each fault at its planned time exactly.
        Assert.All(simulator, f => Assert.Equal((long)(f.PlannedS * 1e9), f.Start.TimeNs));
    }

    private static string FirstPartKind(FaultKind kind) => kind switch
    {
        FaultKind.Chase => "partition",
        FaultKind.Amnesia => "pause",
        _ => kind.Name(),
    };

    /// <summary>
    /// Whether the node led at <paramref name="fromNs"/> or claimed to at some time up to <paramref name="toNs"/>.
    /// </summary>
    private static bool LedBetween(RunHistory history, string node, long fromNs, long toNs)
    {
        var states = history.States.Where(s => s.Node == node && s.Group == "default" && s.TimeNs <= toNs).ToList();
        return states.LastOrDefault(s => s.TimeNs <= fromNs) is { IsLeader: true }
            || states.Any(s => s.TimeNs > fromNs && s.IsLeader);
    }
}
