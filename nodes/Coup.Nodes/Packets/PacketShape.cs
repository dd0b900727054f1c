namespace Coup.Nodes.Packets;

/// <summary>
/// What happens to the messages on a shaped link, as netem would do it to packets: a share lost,
/// a delay with jitter, a share duplicated, a share sent at once past the delayed ones (reordered).
/// The node host's peer links and the simulator's links shape alike (<see cref="ShapedLink{T}"/>).
/// </summary>
public sealed record PacketShape
{
    public const int LossPercentDefault = 30;
    public const int DelayMsDefault = 200;
    public const int JitterMsDefault = 50;
    public const int DuplicatePercentDefault = 30;
    public const int ReorderPercentDefault = 30;

    public const int LossPercentMax = 99;
    public const int DelayMsMax = 10_000;
    public const int DuplicatePercentMax = 100;
    public const int ReorderPercentMax = 100;

    public int LossPercent { get; init; }
    public int DelayMs { get; init; }
    /// <summary>
    /// Each delay is drawn uniformly from <see cref="DelayMs"/> ± this; at most <see cref="DelayMs"/>.
    /// </summary>
    public int JitterMs { get; init; }
    public int DuplicatePercent { get; init; }
    /// <summary>
    /// The share of messages sent at once, ahead of the delayed ones before them (netem's reorder);
    /// meaningful with a delay only.
    /// </summary>
    public int ReorderPercent { get; init; }

    public static PacketShape None { get; } = new();

    public bool IsNone => this == None;

    /// <summary>The one-line reason this shape cannot be applied, or null.</summary>
    public string? Problem() =>
        LossPercent is < 0 or > LossPercentMax ? $"loss must be 0-{LossPercentMax} %, got {LossPercent}"
        : DelayMs is < 0 or > DelayMsMax ? $"delay must be 0-{DelayMsMax} ms, got {DelayMs}"
        : JitterMs < 0 || JitterMs > DelayMs ? $"jitter must be 0 up to the delay ({DelayMs} ms), got {JitterMs}"
        : DuplicatePercent is < 0 or > DuplicatePercentMax
            ? $"duplicate must be 0-{DuplicatePercentMax} %, got {DuplicatePercent}"
        : ReorderPercent is < 0 or > ReorderPercentMax
            ? $"reorder must be 0-{ReorderPercentMax} %, got {ReorderPercent}"
        : null;

    /// <summary>This shape, or an <see cref="ArgumentException"/> with the one-line reason.</summary>
    public PacketShape Checked() => Problem() is { } problem ? throw new ArgumentException(problem) : this;

    /// <summary>For people and the history: "loss 30%, delay 200~50ms", "none".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (LossPercent > 0)
        {
            parts.Add($"loss {LossPercent}%");
        }
        if (DelayMs > 0)
        {
            parts.Add(JitterMs > 0 ? $"delay {DelayMs}~{JitterMs}ms" : $"delay {DelayMs}ms");
        }
        if (DuplicatePercent > 0)
        {
            parts.Add($"duplicate {DuplicatePercent}%");
        }
        if (ReorderPercent > 0)
        {
            parts.Add($"reorder {ReorderPercent}%");
        }
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
