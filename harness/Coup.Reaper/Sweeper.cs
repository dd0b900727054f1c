namespace Coup.Reaper;

/// <summary>A container or network as the engine lists it: its id and labels.</summary>
public sealed record Labelled(string Id, IReadOnlyDictionary<string, string> Labels);

/// <summary>The few engine calls a sweep needs.</summary>
public interface IContainerEngine
{
    /// <summary>
    /// Containers, running or not, carrying <paramref name="label"/> (<c>key=value</c>, or a key alone).
    /// </summary>
    Task<IReadOnlyList<Labelled>> ContainersAsync(string label, CancellationToken cancellation);

    Task<IReadOnlyList<Labelled>> NetworksAsync(string label, CancellationToken cancellation);

    /// <summary>Kills and removes a container with its volumes; one already gone is no error.</summary>
    Task RemoveContainerAsync(string id, CancellationToken cancellation);

    /// <summary>Removes a network; one already gone is no error.</summary>
    Task RemoveNetworkAsync(string id, CancellationToken cancellation);
}

/// <summary>What a sweep removed.</summary>
public sealed record SweepResult(int Containers, int Networks);

/// <summary>
/// Removes one run's containers, then its networks (a network goes once nothing is attached).
/// Only what carries the run's label with this run's id is touched, checked here again rather
/// than trusted to the engine's filter; the reaper's own container is left to the engine.
/// </summary>
public static class Sweeper
{
    private const int NetworkAttempts = 5;
    private static readonly TimeSpan NetworkRetryDelay = TimeSpan.FromMilliseconds(500);

    public static bool BelongsToRun(Labelled item, string runId) =>
        item.Labels.TryGetValue(ReaperContract.RunLabel, out var run) && run == runId;

    public static bool IsReaper(Labelled item) =>
        item.Labels.TryGetValue(ReaperContract.RoleLabel, out var role) && role == ReaperContract.ReaperRole;

    public static async Task<SweepResult> SweepAsync(
        IContainerEngine engine, string runId, CancellationToken cancellation)
    {
        var label = $"{ReaperContract.RunLabel}={runId}";
        var containers = (await engine.ContainersAsync(label, cancellation))
            .Where(c => BelongsToRun(c, runId) && !IsReaper(c))
            .ToList();
        await Task.WhenAll(containers.Select(c => engine.RemoveContainerAsync(c.Id, cancellation)));
        var networks = (await engine.NetworksAsync(label, cancellation)).Where(n => BelongsToRun(n, runId)).ToList();
        foreach (var network in networks)
        {
            await RemoveNetworkAsync(engine, network.Id, cancellation);
        }
        return new SweepResult(containers.Count, networks.Count);
    }

    /// <summary>The engine may still be detaching a removed container's endpoint: ask again, a few times.</summary>
    public static async Task RemoveNetworkAsync(IContainerEngine engine, string id, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await engine.RemoveNetworkAsync(id, cancellation);
                return;
            }
            catch (EngineException) when (attempt < NetworkAttempts)
            {
                await Task.Delay(NetworkRetryDelay, cancellation);
            }
        }
    }
}

/// <summary>The engine refused or failed a request.</summary>
public sealed class EngineException(string message, Exception? inner = null) : Exception(message, inner);
