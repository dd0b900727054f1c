using System.Diagnostics;
using Coup.Harness.Docker;
using Coup.History;
using Docker.DotNet.Models;

namespace Coup.Harness.Tests;

/// <summary>Ctrl-C in the phases after the time limit of a container run.</summary>
[Trait("Category", "Docker")]
[Collection(ConsoleCollection.Name)]
public sealed class DockerInterruptTests
{
    [DockerFact]
    public async Task Given_a_container_run_in_its_quiet_period_When_interrupted_Then_it_exits_130_leaving_nothing()
    {
        using var store = new TempStore();
        using var interrupt = new CancellationTokenSource();
        var history = store.LatestFile("history.jsonl");
        string[] args = ["run", "--algorithm", "raft", "--time-limit", "2", "--quiet", "600", "--seed", "1",
            "--store", store.Root];

        var running = Invocation.Of(args, interrupt.Token);
        // Writes and their records go on in the quiet period: one 3 s into the run is past the 2 s time limit.
        while (!running.IsCompleted && HistoryTail.NewestTimeNs(history) <= 3_000_000_000)
        {
            await Task.Delay(100);
        }
        var stopwatch = Stopwatch.StartNew();
        await interrupt.CancelAsync();
        var result = await running;

        Assert.True(result.Exit == ExitCodes.Interrupted, $"exit {result.Exit}: {result.Error}");
        var elapsedS = stopwatch.Elapsed.TotalSeconds;
        Assert.True(elapsedS < 30, $"took {elapsedS:0.0}s after the interrupt");
        var read = RunHistory.Read(history);
        Assert.Equal("interrupted", read.End?.Reason);
        Assert.True(read.End!.TimeNs < 600_000_000_000, "ended before the quiet period would have");
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{DockerCluster.RunLabel}={read.Run.RunId}"] = true },
        };
        var left = await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filter });
        Assert.Empty(left);
    }
}
