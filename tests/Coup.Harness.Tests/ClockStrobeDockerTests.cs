using Coup.Harness.Cli;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>
/// The clock strobe in containers: libfaketime steps the leader's clock forward and back each second.
/// </summary>
[Trait("Category", "Docker")]
public sealed class ClockStrobeDockerTests
{
    [DockerFact]
    public async Task Given_raft_in_containers_When_the_leaders_clock_strobes_Then_steps_apply_validly_as_simulated()
    {
        using var store = new TempStore();

        string[] arguments = ["run", "--algorithm", "raft", "--nodes", "3", "--nemesis", "clock-strobe:leader",
            "--time-limit", "20", "--interval", "8", "--seed", "1", "--store", store.Root, "--quiet", "4"];
        var exit = await CoupCli.InvokeAsync(arguments, CancellationToken.None);

        store.AssertValid(exit);
        var faults = RunHistory.Read(store.LatestFile("history.jsonl")).Faults;
        var start = Assert.Single(faults, f => f.Phase == "start");
        var stop = Assert.Single(faults, f => f.Phase == "stop");
        Assert.StartsWith("strobe +200 ms every 1000 ms on leader ", start.Detail);
        Assert.Equal(start.Targets, stop.Targets);
        // Held about 4 s; each step waits for the node's clock to show it (up to libfaketime's 1 s re-read).
        var steps = int.Parse(
            System.Text.RegularExpressions.Regex.Match(stop.Detail!, @"; (\d+) steps").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(steps, 2, 6);
        // The simulator plays the same strobe at the same planned time, aimed at its own leader.
        await NemesisParity.AssertSimulatorPlaysTheSameAsync(store, arguments);
    }
}
