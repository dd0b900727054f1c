using Coup.History;

namespace Coup.Reports.Tests;

public sealed class PacketFaultColourTests
{
    [Fact]
    public void GivenEveryFaultKind_WhenColoured_ThenPacketFaultsHaveTheirOwnColourApartFromEveryTermAndKind()
    {
        var packet = PlotColors.Fault(FaultKinds.Packet);
        var terms = PlotColors.Terms(Enumerable.Range(1, 40).Select(t => (long)t)).Values.Select(c => c.ToHex());
        var others = FaultKinds.All.Where(k => k != FaultKinds.Packet).Select(k => PlotColors.Fault(k).ToHex());

        Assert.NotEqual(ScottPlot.Colors.Gray.ToHex(), packet.ToHex());
        Assert.DoesNotContain(packet.ToHex(), terms);
        Assert.DoesNotContain(packet.ToHex(), others);
    }
}
