namespace Coup.Reports.Matrix;

/// <summary>
/// The one-sided Mann-Whitney U test (Wilcoxon rank-sum): is <c>later</c> stochastically larger than
/// <c>earlier</c>? Rank-based, so it needs no assumption about the shape of a latency distribution and
/// one slow outlier cannot decide it. The p-value comes from the normal approximation with the tie
/// correction and a continuity correction, which is close enough from eight samples a side.
/// </summary>
public static class MannWhitney
{
    /// <summary>The U statistic of <paramref name="later"/> and the one-sided p-value of "later is larger".</summary>
    public static (double U, double PValue) LaterIsLarger(IReadOnlyList<double> earlier, IReadOnlyList<double> later)
    {
        if (earlier.Count == 0 || later.Count == 0)
        {
            throw new ArgumentException("both samples need at least one value");
        }
        var pooled = earlier.Select(v => (Value: v, Later: false)).Concat(later.Select(v => (Value: v, Later: true)))
            .OrderBy(p => p.Value).ToList();
        var total = pooled.Count;
        var laterRankSum = 0.0;
        var tieTerm = 0.0;
        for (var start = 0; start < total;)
        {
            var end = start;
            while (end + 1 < total && pooled[end + 1].Value == pooled[start].Value)
            {
                end++;
            }
            // Tied values share the mean of the ranks they span (ranks count from 1).
            var rank = (start + end + 2) / 2.0;
            var tied = end - start + 1;
            for (var i = start; i <= end; i++)
            {
                laterRankSum += pooled[i].Later ? rank : 0;
            }
            tieTerm += (double)tied * tied * tied - tied;
            start = end + 1;
        }
        double n = later.Count, m = earlier.Count;
        var u = laterRankSum - n * (n + 1) / 2;
        var mean = n * m / 2;
        var variance = n * m / 12 * (total + 1 - tieTerm / ((double)total * (total - 1)));
        if (variance <= 0)
        {
            // Every value equal: nothing says either side is larger.
            return (u, 1);
        }
        var z = (u - mean - 0.5) / Math.Sqrt(variance);
        return (u, UpperTail(z));
    }

    /// <summary>
    /// The Hodges-Lehmann shift: the median of every later-minus-earlier difference, the shift the
    /// rank test sees, in the samples' unit.
    /// </summary>
    public static double Shift(IReadOnlyList<double> earlier, IReadOnlyList<double> later)
    {
        var differences = later.SelectMany(l => earlier.Select(e => l - e)).Order().ToList();
        var middle = differences.Count / 2;
        return differences.Count % 2 == 1 ? differences[middle] : (differences[middle - 1] + differences[middle]) / 2;
    }

    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>The complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
