using Coup.Reaper;

namespace Coup.Harness.Docker;

/// <summary>Whether a labelled container or network is removed, and why, in words a user reads.</summary>
public sealed record OrphanDecision(bool Remove, string Reason);

/// <summary>
/// Decides, from an item's labels alone, whether the harness that created it is gone. Anything in
/// doubt is kept: an item without Coup's labels, a run made before owners were labelled, a run of
/// another host or pid namespace (its pids mean nothing here). The owner is gone when this host has
/// rebooted since (another boot id), or when its pid is not running or now runs another process.
/// </summary>
public static class OrphanRule
{
    /// <param name="labels">The item's labels, as the engine lists them.</param>
    /// <param name="here">The harness deciding: its host, boot and pid namespace are compared.</param>
    /// <param name="startTicksOf">The start time of a running pid of this namespace; null when none runs.</param>
    public static OrphanDecision Decide(
        IReadOnlyDictionary<string, string> labels, HarnessOwner here, Func<int, long?> startTicksOf)
    {
        if (!labels.TryGetValue(ReaperContract.RunLabel, out var run) || run.Length == 0)
        {
            return Keep("not labelled as a Coup run");
        }
        if (HarnessOwner.FromLabels(labels) is not { } owner)
        {
            return Keep("no owner labels (made by an older Coup); coup clean --all removes it");
        }
        if (owner.Host != here.Host)
        {
            return Keep($"owned by a harness on another host ({owner.Host})");
        }
        if (owner.BootId != here.BootId)
        {
            return new OrphanDecision(true, "gone: the host rebooted since");
        }
        if (owner.PidNamespace != here.PidNamespace)
        {
            return Keep($"owned by a harness in another pid namespace ({owner.PidNamespace})");
        }
        return startTicksOf(owner.Pid) switch
        {
            null => new OrphanDecision(true, "gone"),
            var started when started != owner.StartTicks =>
                new OrphanDecision(true, $"gone: pid {owner.Pid} is now another process"),
            _ => Keep($"harness pid {owner.Pid} is alive"),
        };
    }

    private static OrphanDecision Keep(string reason) => new(false, reason);
}
