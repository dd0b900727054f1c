using Coup.Faults;
using Coup.Harness.Cli;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>
/// The simulator plays the seeded schedule exactly: every planned fault, in order, at its planned
/// time, leader-targeted ones at the leader it saw (the container side is in DockerRunTests).
/// </summary>
public sealed class NemesisScheduleTests
{
    [Theory]
    [InlineData("raft", "kill,pause,partition,clock", 1)]
    [InlineData("raft", "kill,pause,partition,clock", 2)]
    [InlineData("raft", "chase", 3)]
    [InlineData("raft-forgets-vote", "amnesia", 5)]
    [InlineData("zab", "amnesia", 1)]
    [InlineData("raft", "partition-ring,partition-one-way-in:leader,partition-bridge,partition-isolate:minority", 2)]
    public async Task Given_a_seed_When_the_simulator_plays_a_nemesis_Then_every_planned_fault_starts_on_time(
        string algorithm, string nemesis, int seed)
    {
        using var store = new TempStore();

        await CoupCli.InvokeAsync(
            ["run", "--runtime", "sim", "--algorithm", algorithm, "--nemesis", nemesis, "--seed", $"{seed}",
                "--time-limit", "60", "--interval", "6", "--store", store.Root], CancellationToken.None);

        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var played = NemesisParity.Played(history);
        var planned = FaultSchedule.Plan(Inputs.ParseNemesis(nemesis, out _)!, 60, 6, seed);
        Assert.Equal(planned.Count, played.Count);
        Assert.All(played, f => Assert.Equal((long)(f.PlannedS * 1e9), f.Start.TimeNs));
        Assert.Equal(history.Faults.Count(f => f.Phase == "start"), history.Faults.Count(f => f.Phase == "stop"));
    }
}
