using System.Diagnostics;
using System.Net.Http.Json;
using Coup.Harness.Compare;
using Coup.Nodes;

namespace Coup.Harness.Docker;

/// <summary>
/// Measures in containers what the simulator's <see cref="ElectionCosts"/> measures: after the
/// leader is killed, the messages sent until every live node follows the new leader, and the rounds
/// (sequential message hops) that led to the new leader's claim. Coup's node host counts both per
/// counting epoch (<c>POST /causality?epoch=E</c>, carried on every peer message), so the harness
/// begins an epoch on every live node right after the kill (begun before it, the old leader's
/// heartbeats would lengthen every chain until it died; the few ms between the kill and the epoch
/// are far shorter than any election timeout, and a message sent before the epoch counts as one
/// hop, as in the simulator) and samples every node's <c>/status</c> every
/// <see cref="SamplePeriod"/> until they agree; the message count may so include up to one sample
/// period of traffic after the instant they agreed.
/// </summary>
public sealed class ElectionCounter(DockerCluster cluster)
{
    public static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMilliseconds(500) };
    private long _epoch;

    /// <summary>
    /// Begins a new counting epoch on <paramref name="nodes"/>; returns it, or null when some node did
    /// not take it within half a second (a loaded machine): that election then goes uncounted.
    /// </summary>
    public async Task<long?> BeginAsync(IEnumerable<string> nodes, CancellationToken cancellation)
    {
        var epoch = ++_epoch;
        try
        {
            await Task.WhenAll(nodes.Select(async node =>
                (await Http.PostAsync(
                    $"http://{cluster.Addresses[node]}:{Wire.ControlPort}/causality?epoch={epoch}",
                    null,
                    cancellation)).EnsureSuccessStatusCode()));
            return epoch;
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested
            && e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Samples <paramref name="live"/> from the kill of <paramref name="killed"/> until they all follow
    /// one new leader of <paramref name="epoch"/>; null if that does not happen within 10 s.
    /// </summary>
    public async Task<ElectionCost?> MeasureAsync(
        IReadOnlyList<string> live, string killed, long epoch, CancellationToken cancellation)
    {
        var since = Stopwatch.StartNew();
        return await AgreementAsync(live, killed, epoch, SamplePeriod, cancellation) is { } agreed
            ? new ElectionCost(
                (int)agreed.Reports.Sum(r => r.MessagesSent),
                agreed.Claim.CausalDepth,
                since.Elapsed.TotalMilliseconds)
            : null;
    }

    /// <summary>
    /// The node every node in <paramref name="nodes"/> follows once they agree; null if they do not within 10 s.
    /// </summary>
    public async Task<string?> SettledLeaderAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        (await AgreementAsync(nodes, killed: null, epoch: null, SamplePeriod * 10, cancellation))?.Leader;

    /// <summary>A sample in which every node agrees on one leader: the leader, its report, and every report.</summary>
    private sealed record Agreement(string Leader, StatusReport Claim, StatusReport[] Reports);

    /// <summary>
    /// Samples <paramref name="nodes"/> every <paramref name="period"/> until they agree (see <see cref="Agreed"/>);
    /// null after 10 s.
    /// </summary>
    private async Task<Agreement?> AgreementAsync(
        IReadOnlyList<string> nodes, string? killed, long? epoch, TimeSpan period, CancellationToken cancellation)
    {
        var since = Stopwatch.StartNew();
        while (since.Elapsed < GiveUp)
        {
            var reports = await Task.WhenAll(nodes.Select(node => StatusAsync(node, cancellation)));
            if (reports.All(r => r is not null) && Agreed(nodes, reports!, killed, epoch) is { } agreed)
            {
                return agreed;
            }
            await Task.Delay(period, cancellation);
        }
        return null;
    }

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes of <paramref name="algorithm"/> and kills the leader of the
    /// settled cluster <paramref name="kills"/> times, counting each election (the killed node is
    /// restarted and the cluster settles before the next); the mean, or null if no kill was followed
    /// by a single new leader (invitation: the members found groups of their own).
    /// </summary>
    public static async Task<ElectionCost?> MeasureKillsAsync(
        string algorithm, int nodes, int kills, CancellationToken cancellation)
    {
        using var docker = await DockerEngine.ConnectAsync(cancellation);
        var image = await NodeImage.EnsureAsync(docker, TextWriter.Null, cancellation);
        await using var cluster = new DockerCluster(docker, $"count-{Guid.NewGuid().ToString("n")[..6]}");
        var names = NodeNames.ForCount(nodes);
        await cluster.StartAsync(image, algorithm, names, seed: 1, cancellation);
        var counter = new ElectionCounter(cluster);
        var costs = new List<ElectionCost>();
        for (var kill = 0; kill < kills; kill++)
        {
            if (await counter.SettledLeaderAsync(names, cancellation) is not { } leader)
            {
                break;
            }
            var live = names.Where(n => n != leader).ToList();
            await cluster.Faults.KillAsync(leader, cancellation);
            var cost = await counter.BeginAsync(live, cancellation) is { } epoch
                ? await counter.MeasureAsync(live, leader, epoch, cancellation)
                : null;
            await cluster.Faults.RestartAsync(leader, cancellation);
            if (cost is not null)
            {
                costs.Add(cost);
            }
            await Task.Delay(SettleTime, cancellation);
        }
        return ElectionCost.Mean(costs);
    }

    /// <summary>After the killed node is back, let it rejoin before the next kill.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The leader and its report when exactly one node claims to lead and every other node follows
    /// it in its term; with <paramref name="killed"/> and <paramref name="epoch"/>, only a leader other than
    /// the killed one and only reports of that counting epoch.
    /// </summary>
    private static Agreement? Agreed(IReadOnlyList<string> nodes, StatusReport[] reports, string? killed, long? epoch)
    {
        var claims = nodes.Zip(reports).Where(p => p.Second.Role == Role.Leader).ToList();
        if (claims.Count != 1 || claims[0].First == killed)
        {
            return null;
        }
        var (leader, claim) = claims[0];
        var id = NodeNames.IdOf(leader);
        return reports.All(r => (epoch is null || r.CausalEpoch == epoch) && r.Term == claim.Term
                && (r == claim || r.Leader == id))
            ? new Agreement(leader, claim, reports)
            : null;
    }

    private async Task<StatusReport?> StatusAsync(string node, CancellationToken cancellation)
    {
        try
        {
            return await Http.GetFromJsonAsync<StatusReport>(cluster.StatusUri(node), Wire.Json, cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException
            && !cancellation.IsCancellationRequested)
        {
            return null;
        }
    }
}
