using Coup.Faults;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes.Packets;

namespace Coup.Harness.Tests;

/// <summary>
/// A matrix's cluster reused between runs (<see cref="StandingCluster"/>) must give the second run the
/// starting state a fresh cluster gives it, whatever the first left behind.
/// </summary>
[Trait("Category", "Docker")]
public sealed class StandingClusterTests
{
    private static readonly string[] Nodes = ["n1", "n2", "n3", "n4", "n5"];

    [DockerFact]
    public async Task Given_a_reused_cluster_left_faulted_When_the_next_run_starts_Then_it_starts_clean()
    {
        var none = CancellationToken.None;
        using var store = new TempStore();
        await using var standing = new StandingCluster();
        var first = await RunAsync(store, standing, "raft", seed: 1);
        Assert.Equal(ExitCodes.Valid, first.Exit);
        var docker = await standing.EngineAsync(none);
        var image = await NodeImage.EnsureAsync(docker, TextWriter.Null, none);
        var cluster = await standing.TakeAsync(new CoupMembers(image, "raft", 1, new AlgorithmSettings()), Nodes);
        Assert.NotNull(cluster);
        await LeaveEverythingInPlaceAsync(cluster, docker);
        await standing.KeepAsync(cluster);

        var second = await RunAsync(store, standing, "zab", seed: 2);

        Assert.True(second.Exit == ExitCodes.Valid, $"exit {second.Exit}: {second.Output}");
        Assert.True(first.History.Run.RunId == second.History.Run.RunId, $"not reused: {second.Output}");
        Assert.Equal(Nodes.Length, second.History.States.Select(s => s.Node).Distinct().Count());
        var kept = await standing.TakeAsync(new CoupMembers(image, "zab", 2, new AlgorithmSettings()), Nodes);
        Assert.Same(cluster, kept);
        foreach (var node in Nodes)
        {
            await docker.Containers.UnpauseContainerAsync(cluster.ContainerId(node));
            var rules = await cluster.Faults.ExecAsync(node, "iptables -w -S", none);
            Assert.Equal(["-P INPUT ACCEPT", "-P FORWARD ACCEPT", "-P OUTPUT ACCEPT"], rules.Split('\n'));
            Assert.DoesNotContain("netem", await cluster.Faults.ExecAsync(node, "tc qdisc show", none));
            Assert.Equal("+0", await cluster.Faults.ExecAsync(node, $"cat {Mechanisms.ClockFile}", none));
            var skewMs = (await cluster.ReadClockAsync(node, none)).SkewMs;
            Assert.True(Math.Abs(skewMs) < 1000, $"{node}'s clock is {skewMs:0} ms off");
            // A new process of the second run's settings, on an empty data directory: boot 1, no leftover file.
            Assert.DoesNotContain("leftover", await cluster.Faults.ExecAsync(node, "ls /data", none));
            Assert.Equal("1", await cluster.Faults.ExecAsync(node, "cat /data/incarnation", none));
            var settings = await cluster.Faults.ExecAsync(node, "cat /etc/coup/node.env", none);
            Assert.Contains("COUP_ALGORITHM=zab", settings, StringComparison.Ordinal);
            Assert.Contains("COUP_SEED=2", settings, StringComparison.Ordinal);
            // The run's log is the new process's alone: one start, none of an earlier process.
            var log = File.ReadLines(Path.Combine(second.Directory, "nodes", node, "node.log"));
            Assert.Single(log, line => line.Contains($"{node} starts as", StringComparison.Ordinal));
        }
        await standing.KeepAsync(cluster);
    }

    /// <summary>
    /// A real system never reuses the cluster, but its run borrows the matrix's engine connection like every
    /// other: it must give it back open. (Disposing it crashed the nightly matrix's next run.)
    /// </summary>
    [DockerFact]
    public async Task Given_a_matrix_connection_When_a_real_system_runs_on_it_Then_the_next_run_still_has_it()
    {
        using var store = new TempStore();
        await using var standing = new StandingCluster();

        var etcd = await RunAsync(store, standing, "raft", seed: 1, system: "etcd");
        var raft = await RunAsync(store, standing, "raft", seed: 2);

        Assert.True(etcd.Exit == ExitCodes.Valid, $"exit {etcd.Exit}: {etcd.Output}");
        Assert.True(raft.Exit == ExitCodes.Valid, $"exit {raft.Exit}: {raft.Output}");
        await (await standing.EngineAsync(CancellationToken.None)).System.PingAsync();
    }

    /// <summary>What a run cut short leaves: a cut, a skewed clock, netem, a stray file, a pause, a kill.</summary>
    private static async Task LeaveEverythingInPlaceAsync(
        DockerCluster cluster, global::Docker.DotNet.DockerClient docker)
    {
        IFaultMechanisms faults = cluster.Faults;
        var none = CancellationToken.None;
        foreach (var node in Nodes)
        {
            await docker.Containers.UnpauseContainerAsync(cluster.ContainerId(node));
        }
        await faults.PartitionAsync(Grudge.Isolate("n1", Nodes), none);
        await faults.ChangeClockAsync(["n2"], new ClockChange { OffsetS = 60 }, none);
        await faults.ShapePacketsAsync(new PacketShaping(new PacketShape { DelayMs = 100 },
            [new PacketLink("n3", "n4"), new PacketLink("n4", "n3")]), none);
        await cluster.Faults.ExecAsync("n3", "echo stale > /data/leftover", none);
        await faults.PauseAsync(["n4"], none);
        await faults.KillAsync(["n5"], none);
    }

    private static async Task<(int Exit, RunHistory History, string Directory, string Output)> RunAsync(
        TempStore store, StandingCluster standing, string algorithm, int seed, string? system = null)
    {
        var plan = new RunPlan
        {
            Algorithm = algorithm,
            System = system,
            Nodes = Nodes.Length,
            Seed = seed,
            TimeLimitS = 4,
            QuietS = 3,
            Store = store.Root,
        }.Validated();
        var output = new StringWriter();
        var runner = new Runner(plan, output, standing);
        var exit = await runner.RunAsync(CancellationToken.None);
        var history = RunHistory.Read(Path.Combine(runner.RunDirectory!, RunStore.HistoryFile));
        return (exit, history, runner.RunDirectory!, output.ToString());
    }
}
