using System.Globalization;
using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.History;
using Coup.Nodes;
using Coup.Nodes.Packets;

namespace Coup.Harness.Tests;

/// <summary>
/// Packet faults in containers, by the paths this kernel has (no netem: iptables loss, the node host).
/// </summary>
[Trait("Category", "Docker")]
public sealed class PacketFaultDockerTests
{
    [DockerFact]
    public async Task Given_30_percent_loss_on_a_leaders_link_When_it_holds_Then_about_30_percent_of_its_packets_drop()
    {
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var image = await NodeImage.EnsureAsync(docker, TextWriter.Null, CancellationToken.None);
        await using var cluster = new DockerCluster(docker, $"test-packets-{Guid.NewGuid().ToString("n")[..6]}");
        var nodes = NodeNames.ForCount(3);
        var settings = new AlgorithmSettings { ElectionTimeoutMsMin = 600 };
        await cluster.StartAsync(new CoupMembers(image, "raft", 1, settings), nodes, CancellationToken.None);
        var leader = await new ElectionCounter(cluster).SettledLeaderAsync(nodes, CancellationToken.None)
            ?? throw new TimeoutException("no settled leader");
        var follower = nodes.First(n => n != leader);
        IFaultMechanisms faults = cluster.Faults;

        await faults.ShapePacketsAsync(
            new PacketShaping(new PacketShape { LossPercent = 30 }, [new PacketLink(leader, follower)]),
            CancellationToken.None);
        // Counts every packet from the leader as it enters the follower, before the loss rule sees it.
        var from = cluster.Addresses[leader].ToString();
        await cluster.Faults.ExecAsync(follower, $"iptables -w -I INPUT 1 -s {from}", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var arrived = await CounterAsync(cluster, follower, "INPUT", from);
        var dropped = await CounterAsync(cluster, follower, PacketPaths.LossChain, from);
        await faults.ClearPacketsAsync(CancellationToken.None);

        Assert.True(arrived > 200, $"only {arrived} packets from the leader in 8 s");
        Assert.InRange(dropped / (double)arrived, 0.22, 0.38);
        Assert.Equal("", await cluster.Faults.ExecAsync(
            follower, $"iptables -w -S {PacketPaths.LossChain} | grep -- -A || true", CancellationToken.None));
    }

    /// <summary>
    /// The packets the first rule for <paramref name="source"/> in <paramref name="chain"/> has counted.
    /// </summary>
    private static async Task<long> CounterAsync(DockerCluster cluster, string node, string chain, string source)
    {
        var rules = await cluster.Faults.ExecAsync(node, $"iptables -w -L {chain} -v -n -x", CancellationToken.None);
        var rule = rules.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(words => words.Contains(source) && long.TryParse(words[0], CultureInfo.InvariantCulture, out _));
        return long.Parse(rule[0], CultureInfo.InvariantCulture);
    }

    [DockerFact]
    public async Task Given_raft_in_containers_When_packets_are_lost_and_the_leaders_delayed_Then_the_run_is_valid()
    {
        using var store = new TempStore();

        string[] arguments =
        [
            "run", "--algorithm", "raft", "--nodes", "3", "--nemesis", "packet-loss=30:all,packet-delay=150~30:leader",
            "--time-limit", "24", "--interval", "6", "--seed", "1", "--store", store.Root, "--quiet", "4",
        ];
        var exit = await CoupCli.InvokeAsync(arguments, CancellationToken.None);

        store.AssertValid(exit);
        var starts = RunHistory.Read(store.LatestFile("history.jsonl")).Faults.Where(f => f.Phase == "start").ToList();
        Assert.All(starts, f => Assert.Equal(Coup.History.FaultKinds.Packet, f.Kind));
        Assert.Contains(starts, f => f is { LossPercent: 30 });
        Assert.Contains(starts, f => f is { DelayMs: 150, JitterMs: 30 });
        await NemesisParity.AssertSimulatorPlaysTheSameAsync(store, arguments);
    }
}
