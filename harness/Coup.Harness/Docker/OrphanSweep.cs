using Coup.Reaper;
using Docker.DotNet;

namespace Coup.Harness.Docker;

/// <summary>A run whose harness is gone, removed: its containers (its reaper included) and networks.</summary>
public sealed record RemovedRun(string RunId, int? OwnerPid, string Reason, int Containers, int Networks)
{
    public override string ToString() => OwnerPid is { } pid
        ? $"removed run {RunId} left by harness pid {pid} ({Reason})"
        : $"removed run {RunId} ({Reason})";
}

/// <summary>A run left alone, and why.</summary>
public sealed record KeptRun(string RunId, string Reason)
{
    public override string ToString() => $"kept run {RunId}: {Reason}";
}

public sealed record OrphanSweepResult(IReadOnlyList<RemovedRun> Removed, IReadOnlyList<KeptRun> Kept);

/// <summary>
/// Removes the runs whose harness is gone (<see cref="OrphanRule"/> decides, item by item), the
/// second line of defence beside each run's reaper: it covers a harness killed before its reaper
/// started and a reaper that was killed itself. <c>coup run</c> sweeps before it starts, and
/// <c>coup clean</c> does; nothing of a live harness and nothing without Coup's labels is touched.
/// </summary>
public static class OrphanSweep
{
    public static async Task<OrphanSweepResult> SweepAsync(
        IContainerEngine engine, HarnessOwner here, Func<int, long?> startTicksOf, CancellationToken cancellation)
    {
        var containers = await engine.ContainersAsync(ReaperContract.RunLabel, cancellation);
        var networks = await engine.NetworksAsync(ReaperContract.RunLabel, cancellation);
        var decided = containers.Select(c => (Item: c, IsNetwork: false))
            .Concat(networks.Select(n => (Item: n, IsNetwork: true)))
            .Select(x => (x.Item, x.IsNetwork, RunId: x.Item.Labels.GetValueOrDefault(ReaperContract.RunLabel) ?? "",
                Decision: OrphanRule.Decide(x.Item.Labels, here, startTicksOf)))
            .ToList();
        var removed = new List<RemovedRun>();
        foreach (var run in decided.Where(x => x.Decision.Remove).GroupBy(x => x.RunId).OrderBy(g => g.Key))
        {
            var runContainers = run.Where(x => !x.IsNetwork).ToList();
            var runNetworks = run.Where(x => x.IsNetwork).ToList();
            // Containers first: a network goes once nothing is attached to it.
            await Task.WhenAll(runContainers.Select(x => engine.RemoveContainerAsync(x.Item.Id, cancellation)));
            foreach (var network in runNetworks)
            {
                await Sweeper.RemoveNetworkAsync(engine, network.Item.Id, cancellation);
            }
            var first = run.First();
            removed.Add(new RemovedRun(run.Key, HarnessOwner.FromLabels(first.Item.Labels)?.Pid,
                first.Decision.Reason, runContainers.Count, runNetworks.Count));
        }
        // Items without a run id were not asked for (the engine's filter is not trusted): not named.
        var kept = decided.Where(x => !x.Decision.Remove && x.RunId.Length > 0)
            .Select(x => new KeptRun(x.RunId, x.Decision.Reason))
            .Distinct()
            .OrderBy(k => k.RunId, StringComparer.Ordinal)
            .ToList();
        return new OrphanSweepResult(removed, kept);
    }

    /// <summary>The sweep as <c>coup run</c> and <c>coup clean</c> do it: this process, this host's /proc.</summary>
    public static async Task<OrphanSweepResult> SweepLocalAsync(
        DockerClient docker, CancellationToken cancellation)
    {
        try
        {
            return await SweepAsync(
                new ClientEngine(docker), LocalProcesses.Self, LocalProcesses.StartTicksOf, cancellation);
        }
        catch (EngineException e)
        {
            throw CoupException.Environment($"removing runs whose harness is gone failed: {e.Message}", e);
        }
    }
}
