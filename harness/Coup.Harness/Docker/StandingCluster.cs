using Docker.DotNet;

namespace Coup.Harness.Docker;

/// <summary>
/// A matrix's cluster of Coup's nodes, kept standing from one run to the next as Jepsen keeps its
/// nodes: a run takes it, resets it (<see cref="DockerCluster.ResetAsync"/>) and gives it back paused;
/// only the first run, and a run after one that could not give it back, pays a fresh start. Removed
/// when the matrix ends; the reaper and the orphan sweep remove it if the harness dies first.
/// </summary>
public sealed class StandingCluster : IAsyncDisposable
{
    private DockerClient? _docker;
    private DockerCluster? _cluster;

    /// <summary>The engine connection of every run that may take the cluster; made once, kept to the end.</summary>
    public async Task<DockerClient> EngineAsync(CancellationToken cancellation) =>
        _docker ??= await DockerEngine.ConnectAsync(cancellation);

    /// <summary>
    /// The kept cluster, when it can run <paramref name="members"/> on <paramref name="nodes"/>; one that
    /// cannot (another image, other nodes) is removed. Null: the run starts a fresh cluster.
    /// </summary>
    public async Task<DockerCluster?> TakeAsync(IMembers members, IReadOnlyList<string> nodes)
    {
        var kept = _cluster;
        _cluster = null;
        if (kept is null || kept.CanServe(members, nodes))
        {
            return kept;
        }
        await kept.DisposeAsync();
        return null;
    }

    /// <summary>Keeps a cluster for the next run; one kept before is removed.</summary>
    public async Task KeepAsync(DockerCluster cluster)
    {
        await DiscardAsync();
        _cluster = cluster;
    }

    /// <summary>
    /// Removes the kept cluster: after a run that crashed, was interrupted or met an environment error,
    /// the next starts fresh.
    /// </summary>
    public async Task DiscardAsync()
    {
        if (_cluster is { } cluster)
        {
            _cluster = null;
            await cluster.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DiscardAsync();
        }
        finally
        {
            _docker?.Dispose();
        }
    }
}
