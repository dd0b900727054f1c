namespace Coup.Checkers;

public static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile of an ascending, non-empty list: the smallest value with at
    /// least <paramref name="percentile"/> % of the values at or below it (no interpolation, so
    /// it is always a latency that happened).
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
