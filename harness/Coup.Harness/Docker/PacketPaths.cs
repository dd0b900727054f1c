using System.Diagnostics;
using System.Globalization;
using Coup.Faults;
using Coup.Nodes.Packets;

namespace Coup.Harness.Docker;

/// <summary>How a packet shape reaches containers' links.</summary>
public enum PacketPath
{
    /// <summary>The kernel's netem on each sender's interface, one class per shaped peer.</summary>
    Netem,
    /// <summary>Loss alone, without netem: iptables' statistic match drops a share of a peer's packets.</summary>
    IptablesLoss,
    /// <summary>Delay, duplication and reordering without netem: Coup's node host shapes its own peer links.</summary>
    NodeHost,
}

/// <summary>
/// Chooses how a packet fault is applied in containers and builds the commands, pure (docs/packets.md):
/// netem where the kernel has it; else loss through iptables and, for Coup's own nodes, the rest through
/// the node host's peer links (<c>POST /packets</c>); a real system's delay, duplication or reordering
/// without netem is refused with the reason.
/// </summary>
public static class PacketPaths
{
    /// <summary>
    /// The iptables chain of packet loss, apart from the partitions' (<see cref="Mechanisms.Chain"/>).
    /// </summary>
    public const string LossChain = "COUP-PACKETS";
    public const string Interface = "eth0";
    /// <summary>The prio band netem hangs under (bands 1-3 keep the default priomap).</summary>
    private const int ShapedBand = 4;

    /// <summary>The path for <paramref name="shape"/>, or null with the one-line reason.</summary>
    /// <param name="system">The real system the members run; null for Coup's own nodes.</param>
    public static PacketPath? Choose(PacketShape shape, bool kernelHasNetem, string? system, out string? refusal)
    {
        refusal = null;
        if (kernelHasNetem)
        {
            return PacketPath.Netem;
        }
        if (!Delays(shape))
        {
            return PacketPath.IptablesLoss;
        }
        if (system is null)
        {
            return PacketPath.NodeHost;
        }
        refusal = Refusal(system);
        return null;
    }

    /// <summary>
    /// Whether the shape delays, duplicates or reorders: what only netem or Coup's node host can do.
    /// </summary>
    public static bool Delays(PacketShape shape) =>
        shape.DelayMs > 0 || shape.DuplicatePercent > 0 || shape.ReorderPercent > 0;

    /// <summary>
    /// Why <paramref name="system"/> cannot take the packet faults of <paramref name="nemesis"/>, or null:
    /// a delay, duplication or reordering without netem.
    /// </summary>
    public static string? Refusal(IEnumerable<FaultChoice> nemesis, string system, bool kernelHasNetem) =>
        nemesis.FirstOrDefault(c =>
                c.Packet is { } packet && Choose(packet.Shape, kernelHasNetem, system, out _) is null)
            is { } refused ? $"--nemesis {refused.Name}: {Refusal(system)}" : null;

    /// <summary>
    /// Why a real system's packets cannot be delayed, duplicated or reordered on a kernel without netem.
    /// </summary>
    public static string Refusal(string system) =>
        $"packet delay, duplication and reordering need the kernel's netem, which this machine lacks " +
        $"('tc qdisc ... netem' says 'Specified qdisc kind is unknown'), and {system} has no shaping of its own " +
        "as Coup's node host has; use packet-loss (iptables), or a kernel with sch_netem (docs/packets.md)";

    /// <summary>
    /// The script that shapes a sender's packets to <paramref name="peers"/> with netem: a prio qdisc
    /// whose extra band holds the netem qdisc, and a filter per peer address into that band, so the
    /// sender's other traffic (the harness's own requests) is left alone. Replaces any shaping in force.
    /// </summary>
    public static string NetemScript(PacketShape shape, IEnumerable<string> peers)
    {
        var filters = string.Concat(peers.Select(peer =>
            $"tc filter add dev {Interface} parent 1: protocol ip prio 1 u32 match ip dst {peer}/32 " +
            $"flowid 1:{ShapedBand}; "));
        return $"{NetemClearScript}; " +
            $"tc qdisc add dev {Interface} root handle 1: prio bands {ShapedBand} " +
            "priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1; " +
            $"tc qdisc add dev {Interface} parent 1:{ShapedBand} handle 40: netem {NetemArguments(shape)}; " +
            filters.TrimEnd(' ', ';');
    }

    public static string NetemClearScript => $"tc qdisc del dev {Interface} root 2>/dev/null || true";

    /// <summary>netem's own words for the shape: <c>loss 30% delay 200ms 50ms duplicate 30% reorder 30%</c>.</summary>
    public static string NetemArguments(PacketShape shape)
    {
        var words = new List<string>();
        if (shape.LossPercent > 0)
        {
            words.Add($"loss {shape.LossPercent}%");
        }
        if (shape.DelayMs > 0)
        {
            words.Add(shape.JitterMs > 0 ? $"delay {shape.DelayMs}ms {shape.JitterMs}ms" : $"delay {shape.DelayMs}ms");
        }
        if (shape.DuplicatePercent > 0)
        {
            words.Add($"duplicate {shape.DuplicatePercent}%");
        }
        if (shape.ReorderPercent > 0)
        {
            words.Add($"reorder {shape.ReorderPercent}%");
        }
        return string.Join(" ", words);
    }

    /// <summary>
    /// The script that drops a share of the packets a receiver gets from <paramref name="peers"/>, in
    /// a chain of its own (declared, so created or flushed) jumped to from INPUT. <c>-w</c> waits for
    /// the xtables lock, which the partitions' rules may hold at the same moment.
    /// </summary>
    public static string LossScript(int lossPercent, IEnumerable<string> peers)
    {
        var probability = (lossPercent / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        var drops = string.Concat(peers.Select(peer =>
            $"iptables -w -A {LossChain} -s {peer} -m statistic --mode random --probability {probability} -j DROP; "));
        return $"iptables -w -N {LossChain} 2>/dev/null || iptables -w -F {LossChain}; " +
            $"iptables -w -C INPUT -j {LossChain} 2>/dev/null || iptables -w -I INPUT -j {LossChain}; " +
            drops.TrimEnd(' ', ';');
    }

    public static string LossClearScript => $"iptables -w -F {LossChain} 2>/dev/null || true";

    /// <summary>
    /// Whether this machine's kernel has netem: asked once, in a network namespace of its own
    /// (<c>unshare -n</c>), whose loopback takes a netem qdisc or not. Containers share the kernel.
    /// </summary>
    public static bool KernelHasNetem => Probe.Value;

    private static readonly Lazy<bool> Probe = new(() =>
    {
        try
        {
            var start = new ProcessStartInfo("unshare")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in
                new[] { "-n", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms" })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }
            process.WaitForExit(5000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });
}
