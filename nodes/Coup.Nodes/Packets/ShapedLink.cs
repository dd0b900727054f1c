namespace Coup.Nodes.Packets;

/// <summary>One copy of a message and when it is to be handed on.</summary>
/// <param name="Reordered">Sent at once, past the delayed messages sent before it.</param>
public readonly record struct Delivery<T>(T Message, long AtNs, bool Reordered);

/// <summary>
/// The decisions of one shaped link, pure: given a message, the time and the link's own seeded
/// random source, whether it is lost, when it is handed on, whether a second copy follows and
/// whether it overtakes the delayed ones. The simulator's links and the node host's peer links
/// both decide through it, so a shape means the same in both runtimes. Without reordering the
/// link stays FIFO, as a TCP connection is: a delay never hands a message on before an earlier one.
/// </summary>
/// <remarks>
/// The random draws are made in a fixed order, each of them every time (loss, reorder, delay,
/// duplicate, the copy's delay), so one seed decides the same fates whatever the shape's figures.
/// </remarks>
public sealed class ShapedLink<T>(Random random)
{
    private const long NsPerMs = 1_000_000;
    /// <summary>When the last message kept in order is handed on.</summary>
    private long _lastInOrderNs = long.MinValue;

    public PacketShape Shape { get; set; } = PacketShape.None;

    /// <summary>The copies of <paramref name="message"/> to hand on, in time order; none when it is lost.</summary>
    public IReadOnlyList<Delivery<T>> Send(T message, long nowNs)
    {
        var shape = Shape;
        if (shape.IsNone)
        {
            return [new Delivery<T>(message, Math.Max(nowNs, _lastInOrderNs), false)];
        }
        var lossDraw = Percent(random);
        var reorderDraw = Percent(random);
        var delayNs = DelayNs(shape);
        var duplicateDraw = Percent(random);
        var copyDelayNs = DelayNs(shape);
        if (lossDraw < shape.LossPercent)
        {
            return [];
        }
        var reordered = reorderDraw < shape.ReorderPercent && shape.DelayMs > 0;
        var first = new Delivery<T>(message, reordered ? nowNs : InOrder(nowNs + delayNs), reordered);
        return duplicateDraw < shape.DuplicatePercent
            ? [first, new Delivery<T>(message, InOrder(nowNs + copyDelayNs), false)]
            : [first];
    }

    private long InOrder(long atNs)
    {
        _lastInOrderNs = Math.Max(_lastInOrderNs, atNs);
        return _lastInOrderNs;
    }

    private static double Percent(Random random) => random.NextDouble() * 100;

    private long DelayNs(PacketShape shape) =>
        (long)((shape.DelayMs + (random.NextDouble() * 2 - 1) * shape.JitterMs) * NsPerMs);
}
