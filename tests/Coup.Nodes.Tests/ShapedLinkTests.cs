using Coup.Nodes.Packets;

namespace Coup.Nodes.Tests;

public sealed class ShapedLinkTests
{
    private const long NsPerMs = 1_000_000;
    private const int Messages = 20_000;

    private static List<Delivery<int>> SendMany(PacketShape shape, int seed = 1, long gapNs = NsPerMs)
    {
        var link = new ShapedLink<int>(new Random(seed)) { Shape = shape };
        return [.. Enumerable.Range(0, Messages).SelectMany(i => link.Send(i, i * gapNs))];
    }

    [Fact]
    public void Given_no_shape_When_messages_are_sent_Then_each_is_handed_on_once_at_once_in_order()
    {
        var deliveries = SendMany(PacketShape.None);

        Assert.Equal(Enumerable.Range(0, Messages), deliveries.Select(d => d.Message));
        Assert.All(deliveries, d => Assert.Equal(d.Message * NsPerMs, d.AtNs));
    }

    [Fact]
    public void Given_30_percent_loss_When_many_messages_are_sent_Then_about_30_percent_are_lost()
    {
        var deliveries = SendMany(new PacketShape { LossPercent = 30 });

        var lostShare = 1 - (double)deliveries.Count / Messages;
        Assert.InRange(lostShare, 0.28, 0.32);
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.Message).Distinct().Count());
    }

    [Fact]
    public void Given_a_delay_with_jitter_When_messages_are_sent_far_apart_Then_each_waits_within_the_jitter()
    {
        var deliveries = SendMany(new PacketShape { DelayMs = 200, JitterMs = 50 }, gapNs: 1000 * NsPerMs);

        var waitsMs = deliveries.Select(d => (d.AtNs - d.Message * 1000 * NsPerMs) / (double)NsPerMs).ToList();
        Assert.All(waitsMs, w => Assert.InRange(w, 150, 250));
        Assert.InRange(waitsMs.Average(), 195, 205);
    }

    [Fact]
    public void Given_a_jittered_delay_without_reordering_When_messages_are_sent_back_to_back_Then_they_stay_in_order()
    {
        var deliveries = SendMany(new PacketShape { DelayMs = 200, JitterMs = 200 });

        Assert.Equal(Enumerable.Range(0, Messages), deliveries.Select(d => d.Message));
        Assert.True(deliveries.Zip(deliveries.Skip(1)).All(p => p.First.AtNs <= p.Second.AtNs));
    }

    [Fact]
    public void Given_30_percent_duplication_When_many_messages_are_sent_Then_about_30_percent_come_twice()
    {
        var deliveries = SendMany(new PacketShape { DuplicatePercent = 30 });

        var twiceShare = deliveries.GroupBy(d => d.Message).Count(g => g.Count() == 2) / (double)Messages;
        Assert.InRange(twiceShare, 0.28, 0.32);
        Assert.Equal(Messages, deliveries.Select(d => d.Message).Distinct().Count());
    }

    [Fact]
    public void Given_30_percent_reordering_with_a_delay_When_messages_are_sent_Then_about_30_percent_overtake()
    {
        var deliveries = SendMany(new PacketShape { DelayMs = 100, ReorderPercent = 30 });

        var reordered = deliveries.Where(d => d.Reordered).ToList();
        Assert.InRange(reordered.Count / (double)Messages, 0.28, 0.32);
        Assert.All(reordered, d => Assert.Equal(d.Message * NsPerMs, d.AtNs));
        var handedOn = deliveries.OrderBy(d => d.AtNs).ThenBy(d => d.Message).Select(d => d.Message).ToList();
        Assert.NotEqual(Enumerable.Range(0, Messages), handedOn);
    }

    [Fact]
    public void Given_one_seed_When_the_same_messages_are_sent_twice_Then_the_fates_are_the_same()
    {
        var shape = new PacketShape
        {
            LossPercent = 30,
            DelayMs = 200,
            JitterMs = 50,
            DuplicatePercent = 30,
            ReorderPercent = 30,
        };

        Assert.Equal(SendMany(shape, seed: 7), SendMany(shape, seed: 7));
        Assert.NotEqual(SendMany(shape, seed: 7), SendMany(shape, seed: 8));
    }

    [Theory]
    [InlineData(100, 0, 0, 0, 0, "loss must be 0-99 %, got 100")]
    [InlineData(0, 10_001, 0, 0, 0, "delay must be 0-10000 ms, got 10001")]
    [InlineData(0, 100, 101, 0, 0, "jitter must be 0 up to the delay (100 ms), got 101")]
    [InlineData(0, 0, 0, 101, 0, "duplicate must be 0-100 %, got 101")]
    [InlineData(0, 0, 0, 0, -1, "reorder must be 0-100 %, got -1")]
    public void Given_a_figure_out_of_range_When_the_shape_is_checked_Then_one_line_says_which(
        int loss, int delay, int jitter, int duplicate, int reorder, string problem)
    {
        var shape = new PacketShape
        {
            LossPercent = loss,
            DelayMs = delay,
            JitterMs = jitter,
            DuplicatePercent = duplicate,
            ReorderPercent = reorder,
        };

        Assert.Equal(problem, shape.Problem());
        Assert.Equal(problem, Assert.Throws<ArgumentException>(() => shape.Checked()).Message);
    }

    [Fact]
    public void Given_the_defaults_When_checked_and_shown_Then_they_are_valid_and_read_as_netem_would()
    {
        var shape = new PacketShape
        {
            LossPercent = PacketShape.LossPercentDefault,
            DelayMs = PacketShape.DelayMsDefault,
            JitterMs = PacketShape.JitterMsDefault,
            DuplicatePercent = PacketShape.DuplicatePercentDefault,
            ReorderPercent = PacketShape.ReorderPercentDefault,
        };

        Assert.Null(shape.Problem());
        Assert.Equal("loss 30%, delay 200~50ms, duplicate 30%, reorder 30%", shape.ToString());
        Assert.Equal("none", PacketShape.None.ToString());
    }
}
