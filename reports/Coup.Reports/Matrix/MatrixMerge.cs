namespace Coup.Reports.Matrix;

/// <summary>Shards that cannot be merged: of different plans, or holding the same shard or cell twice.</summary>
public sealed class MatrixMergeException(string message) : Exception(message);

/// <summary>
/// <c>coup merge</c>'s core: the matrix results of shards of one plan combined into one, as if one
/// machine had run them all. Cells keep their runs untouched (run directories are relative to the store
/// root, and the caller puts the runs under the merged store at the same relative paths).
/// </summary>
public static class MatrixMerge
{
    /// <exception cref="MatrixMergeException">The shards are not parts of one plan's matrix (one line).</exception>
    public static MatrixResult Merge(IReadOnlyList<MatrixResult> shards)
    {
        if (shards.Count == 0)
        {
            throw new MatrixMergeException("nothing to merge: give the stores of one plan's shards");
        }
        var first = shards[0];
        if (shards.FirstOrDefault(s => s.PlanSha256 != first.PlanSha256) is { } other)
        {
            throw new MatrixMergeException($"the shards are of different plans: {first.Plan} "
                + $"(sha256 {first.PlanSha256[..12]}) and {other.Plan} (sha256 {other.PlanSha256[..12]}); "
                + "merge the shards of one plan file");
        }
        var parts = shards.SelectMany(s => s.Shards).ToList();
        if (parts.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new MatrixMergeException($"shard {twice.Key} is given twice; give each shard's store once");
        }
        var counts = parts.Select(p => p[(p.IndexOf('/') + 1)..]).Distinct().ToList();
        if (counts.Count > 1)
        {
            throw new MatrixMergeException($"the shards split the plan differently ({string.Join(", ", parts)}); "
                + "merge the shards of one split (all i/n with the same n)");
        }
        var cells = shards.SelectMany(s => s.Cells).ToList();
        if (cells.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1) is { } overlap)
        {
            throw new MatrixMergeException($"cell {overlap.Key} is in more than one shard; the shards overlap");
        }
        return new MatrixResult
        {
            Plan = first.Plan,
            PlanSha256 = first.PlanSha256,
            Shards = [.. parts.OrderBy(ShardIndex)],
            StartedAt = shards.Min(s => s.StartedAt),
            FinishedAt = shards.Max(s => s.FinishedAt),
            Cells = [.. cells.OrderBy(c => c.Id, StringComparer.Ordinal)],
        };
    }

    /// <summary>The shards <paramref name="merged"/> lacks to be its plan's matrix, e.g. <c>["3/4"]</c>.</summary>
    public static IReadOnlyList<string> Missing(MatrixResult merged)
    {
        var count = merged.Shards
            .Select(s => int.Parse(s[(s.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(1).First();
        return [.. Enumerable.Range(1, count).Select(i => $"{i}/{count}").Except(merged.Shards)];
    }

    private static int ShardIndex(string shard) =>
        int.TryParse(shard.AsSpan(0, Math.Max(0, shard.IndexOf('/'))), out var index) ? index : int.MaxValue;
}
