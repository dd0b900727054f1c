using Coup.Faults;
using Coup.Nodes.Packets;

namespace Coup.Faults.Tests;

public class PacketSpecTests
{
    private static readonly IReadOnlyList<string> Three = ["n1", "n2", "n3"];

    private static PacketSpec Parsed(string text)
    {
        var spec = PacketSpec.Parse(text, out var problem);
        Assert.Null(problem);
        return spec!;
    }

    private static string Refusal(string text)
    {
        Assert.Null(PacketSpec.Parse(text, out var problem));
        return problem!;
    }

    [Theory]
    [InlineData("packet-loss", "packet-loss", "loss 30%")]
    [InlineData("packet-loss=50:all", "packet-loss=50", "loss 50%")]
    [InlineData("packet-loss=30:leader", "packet-loss:leader", "loss 30%")]
    [InlineData("packet-delay", "packet-delay", "delay 200~50ms")]
    [InlineData("packet-delay=150~30:leader", "packet-delay=150~30:leader", "delay 150~30ms")]
    [InlineData("packet-delay=500:n1+n3", "packet-delay=500:n1+n3", "delay 500ms")]
    [InlineData("packet-dup=10:minority", "packet-dup=10:minority", "duplicate 10%")]
    [InlineData("packet-reorder", "packet-reorder", "delay 200~50ms, reorder 30%")]
    [InlineData("packet-reorder=60:one", "packet-reorder=60:one", "delay 200~50ms, reorder 60%")]
    public void Given_a_known_spec_When_parsed_Then_it_reads_back_with_its_shape(
        string text, string expected, string shape)
    {
        var spec = Parsed(text);

        Assert.Equal(expected, spec.ToString());
        Assert.Equal(shape, spec.Shape.ToString());
        Assert.Equal(expected, Parsed(expected).ToString());
    }

    [Theory]
    [InlineData("packet-loss=100", "packet-loss=100: loss must be 0-99 %, got 100")]
    [InlineData("packet-loss=x", "packet-loss=x: the share must be a whole percent (packet-loss=30), got 'x'")]
    [InlineData("packet-delay=10001", "packet-delay=10001: delay must be 0-10000 ms, got 10001")]
    [InlineData("packet-delay=100~200", "packet-delay=100~200: jitter must be 0 up to the delay (100 ms), got 200")]
    [InlineData("packet-delay=1~2~3",
        "packet-delay=1~2~3: the delay must be MS or MS~JITTER in whole ms (packet-delay=200~50), got '1~2~3'")]
    [InlineData("packet-dup=101", "packet-dup=101: duplicate must be 0-100 %, got 101")]
    [InlineData("packet-loss:boss",
        "packet-loss: unknown target 'boss'; use one, leader, minority, majority, all, or nodes joined by + (n1+n3)")]
    [InlineData("packet-corrupt=5", "unknown packet fault 'packet-corrupt'; use one of packet-loss[=P], " +
        "packet-delay[=MS[~J]], packet-dup[=P], packet-reorder[=P], each with an optional :TARGET " +
        "(one, leader, minority, majority, all, or nodes joined by + (n1+n3))")]
    public void Given_a_bad_spec_When_parsed_Then_one_line_says_why(string text, string problem)
    {
        var refusal = Refusal(text);

        Assert.Equal(problem, refusal);
        Assert.DoesNotContain('\n', refusal);
    }

    [Fact]
    public void Given_the_leader_as_target_When_shaped_Then_every_link_to_and_from_it_is_shaped_both_ways()
    {
        var (shaping, targets, detail) = Parsed("packet-delay=150~30:leader").Shaping(Three, "n2", new Random(1));

        Assert.Equal(["n2"], targets);
        Assert.Equal(["n1->n2", "n2->n1", "n2->n3", "n3->n2"], shaping.Links.Select(l => l.ToString()));
        Assert.Equal(new PacketShape { DelayMs = 150, JitterMs = 30 }, shaping.Shape);
        Assert.Equal("delay 150~30ms on the links of leader n2", detail);
    }

    [Fact]
    public void Given_all_as_target_When_shaped_Then_every_link_is_shaped()
    {
        var (shaping, _, detail) = Parsed("packet-loss=30").Shaping(Three, null, new Random(1));

        Assert.Equal(6, shaping.Links.Count);
        Assert.Equal("loss 30% on all links", detail);
    }

    [Fact]
    public void Given_a_schedule_with_a_packet_fault_When_resolved_Then_its_part_carries_the_shaping()
    {
        var choice = new FaultChoice(FaultKind.Packet, Packet: Parsed("packet-dup=20:n3"));
        var planned = FaultSchedule.Plan([choice], 30, 5, seed: 1);

        var part = Assert.Single(FaultTargets.Resolve(planned[0], Three, "n1"));

        Assert.Equal("packet-dup=20:n3", choice.Name);
        Assert.Equal(FaultKind.Packet, part.Kind);
        Assert.Equal(["n3"], part.Targets);
        Assert.Equal(new PacketShape { DuplicatePercent = 20 }, part.Packets!.Shape);
        Assert.Equal("duplicate 20% on the links of n3", part.Detail);
    }
}
