using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Docker;
using Coup.Harness.Plans;
using Coup.Nodes.Packets;

namespace Coup.Harness.Tests;

/// <summary>
/// The containers' choice of packet path and the commands of each; the netem ones cannot run on a
/// kernel without sch_netem, so their text is what is checked.
/// </summary>
public sealed class PacketPathsTests
{
    private static readonly PacketShape Loss = new() { LossPercent = 30 };
    private static readonly PacketShape Delay = new() { DelayMs = 150, JitterMs = 30 };

    [Theory]
    [InlineData(true, null, "loss", PacketPath.Netem)]
    [InlineData(true, "etcd", "delay", PacketPath.Netem)]
    [InlineData(false, null, "loss", PacketPath.IptablesLoss)]
    [InlineData(false, "zookeeper", "loss", PacketPath.IptablesLoss)]
    [InlineData(false, null, "delay", PacketPath.NodeHost)]
    public void Given_a_kernel_and_members_When_a_shape_is_applied_Then_the_path_is_chosen(
        bool netem, string? system, string shape, PacketPath path)
    {
        Assert.Equal(path, PacketPaths.Choose(shape == "loss" ? Loss : Delay, netem, system, out var refusal));
        Assert.Null(refusal);
    }

    [Fact]
    public void Given_no_netem_When_a_real_system_is_to_be_delayed_Then_it_is_refused_in_one_line_with_the_reason()
    {
        Assert.Null(PacketPaths.Choose(Delay, kernelHasNetem: false, "etcd", out var refusal));

        Assert.StartsWith("packet delay, duplication and reordering need the kernel's netem", refusal);
        Assert.Contains("etcd has no shaping of its own", refusal);
        Assert.DoesNotContain('\n', refusal!);
        var nemesis = Inputs.ParseNemesis("packet-loss:leader,packet-dup=10", out _)!;
        Assert.Equal($"--nemesis packet-dup=10: {refusal}", PacketPaths.Refusal(nemesis, "etcd", false));
        Assert.Null(PacketPaths.Refusal(nemesis, "etcd", kernelHasNetem: true));
        Assert.Null(PacketPaths.Refusal(nemesis.Take(1), "etcd", kernelHasNetem: false));
    }

    [Fact]
    public void Given_a_shape_When_netem_is_to_apply_it_Then_the_sender_hangs_netem_under_a_prio_band_per_peer()
    {
        var shape = new PacketShape
        {
            LossPercent = 30,
            DelayMs = 200,
            JitterMs = 50,
            DuplicatePercent = 30,
            ReorderPercent = 30,
        };

        var script = PacketPaths.NetemScript(shape, ["10.1.0.12", "10.1.0.13"]);

        Assert.Equal("tc qdisc del dev eth0 root 2>/dev/null || true; " +
            "tc qdisc add dev eth0 root handle 1: prio bands 4 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1; " +
            "tc qdisc add dev eth0 parent 1:4 handle 40: netem loss 30% delay 200ms 50ms duplicate 30% reorder 30%; " +
            "tc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dst 10.1.0.12/32 flowid 1:4; " +
            "tc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dst 10.1.0.13/32 flowid 1:4", script);
    }

    [Fact]
    public void Given_a_loss_When_iptables_is_to_apply_it_Then_the_receiver_drops_a_share_from_each_peer_in_its_chain()
    {
        var script = PacketPaths.LossScript(30, ["10.1.0.11"]);

        Assert.Equal("iptables -w -N COUP-PACKETS 2>/dev/null || iptables -w -F COUP-PACKETS; " +
            "iptables -w -C INPUT -j COUP-PACKETS 2>/dev/null || iptables -w -I INPUT -j COUP-PACKETS; " +
            "iptables -w -A COUP-PACKETS -s 10.1.0.11 -m statistic --mode random --probability 0.30 -j DROP", script);
        Assert.Equal("iptables -w -F COUP-PACKETS 2>/dev/null || true", PacketPaths.LossClearScript);
    }

    [Fact]
    public void Given_this_machine_When_its_kernel_is_probed_Then_the_answer_matches_what_tc_says_in_a_namespace()
    {
        using var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("unshare",
            ["-n", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"])
        { RedirectStandardError = true })!;
        probe.WaitForExit();

        Assert.Equal(probe.ExitCode == 0, PacketPaths.KernelHasNetem);
    }

    [Fact]
    public void Given_a_packet_delay_on_a_real_system_When_netem_is_missing_Then_its_cells_are_skipped_saying_why()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coup-packets-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "targets: [{name: raft}, {name: etcd}]\nnemeses: [[packet-delay], [packet-loss]]\n" +
            "runtimes: [docker]\nnodes: [3]\n");
        try
        {
            var (plan, problems) = PlanReader.Read(PlanDocument.Load(path));
            Assert.Empty(problems);

            var expansion = PlanCells.Expand(plan!);

            if (PacketPaths.KernelHasNetem)
            {
                Assert.Empty(expansion.Skipped);
                return;
            }
            Assert.Equal("skipped 1 cell: packet delay, duplication and reordering are refused for etcd on a kernel " +
                "without netem (docs/packets.md says why)", Assert.Single(expansion.Skipped).Line);
            Assert.Equal(3, expansion.Cells.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
