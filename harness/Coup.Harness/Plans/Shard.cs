using System.Globalization;

namespace Coup.Harness.Plans;

/// <summary>
/// <c>--shard i/n</c>: the i-th of n parts of a plan's cells, dealt round-robin over the cells in id
/// order, so every machine computes the same split from the plan alone and the parts are about equal.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>At most this many shards: more than any CI matrix runs at once.</summary>
    public const int CountMax = 256;

    public static readonly Shard Whole = new(1, 1);

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>The cells of this shard, in the order given (the plan's id order).</summary>
    public IReadOnlyList<PlanCell> Select(IReadOnlyList<PlanCell> cells) =>
        [.. cells.Where((_, position) => position % Count == Index - 1)];

    /// <summary>Reads <c>i/n</c>; null with the one-line reason when it is not one.</summary>
    public static Shard? Parse(string text, out string? problem)
    {
        var parts = text.Split('/');
        problem = null;
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count is >= 1 and <= CountMax && index >= 1 && index <= count)
        {
            return new Shard(index, count);
        }
        problem = $"--shard must be i/n with 1 <= i <= n <= {CountMax}, e.g. 2/4, got '{text}'";
        return null;
    }
}
