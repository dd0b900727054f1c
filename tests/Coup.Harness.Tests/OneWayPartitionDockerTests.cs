using System.Net.Http.Json;
using Coup.Faults;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>A one-way cut applied by iptables in containers silences one direction of each link only.</summary>
[Trait("Category", "Docker")]
public sealed class OneWayPartitionDockerTests
{
    /// <summary>
    /// Timeouts of 600-1200 ms, longer than the default 150-300 ms, which a loaded machine's stalls
    /// outlast now and then (an election with no fault at all would fail the test).
    /// </summary>
    private static readonly AlgorithmSettings Settings = new() { ElectionTimeoutMsMin = 600 };

    /// <summary>Several election timeouts: a follower that stopped hearing the leader would have stood.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(4);

    [DockerFact]
    public async Task Given_a_raft_leader_When_its_inbound_is_cut_Then_it_is_still_followed_but_hears_no_ack()
    {
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var image = await NodeImage.EnsureAsync(docker, TextWriter.Null, CancellationToken.None);
        await using var cluster = new DockerCluster(docker, $"test-oneway-{Guid.NewGuid().ToString("n")[..6]}");
        var nodes = NodeNames.ForCount(3);
        await cluster.StartAsync(new CoupMembers(image, "raft", 1, Settings), nodes, CancellationToken.None);
        var leader = await new ElectionCounter(cluster).SettledLeaderAsync(nodes, CancellationToken.None)
            ?? throw new TimeoutException("no settled leader");
        await using var client = new CoupNodeClient(cluster);
        var before = await client.WriteAsync(leader, 1, CancellationToken.None);
        var term = (await StatusAsync(cluster, leader)).Term;

        await cluster.Faults.PartitionAsync(Grudge.OneWayInbound([leader], nodes), CancellationToken.None);
        await Task.Delay(Hold);
        var statuses = await Task.WhenAll(nodes.Select(n => StatusAsync(cluster, n)));
        var during = await client.WriteAsync(leader, 2, CancellationToken.None);
        await cluster.Faults.HealPartitionAsync(nodes, CancellationToken.None);
        var after = await client.WriteAsync(leader, 3, CancellationToken.None);

        Assert.Equal("ok", before.Outcome.Phase);
        // The leader still sends: its heartbeats keep every node following it in its term.
        Assert.All(statuses, s => Assert.Equal((NodeNames.IdOf(leader), term), (s.Leader, s.Term)));
        // It hears nothing: no follower's acknowledgement reaches it, so the write cannot commit.
        Assert.NotEqual("ok", during.Outcome.Phase);
        Assert.Equal("ok", after.Outcome.Phase);
    }

    private static async Task<StatusReport> StatusAsync(DockerCluster cluster, string node)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return await http.GetFromJsonAsync<StatusReport>(cluster.StatusUri(node), Wire.Json)
            ?? throw new InvalidOperationException($"{node} sent an empty status");
    }
}
