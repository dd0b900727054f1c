using Coup.Reports.Matrix;

namespace Coup.Reports.Tests.Matrix;

public class MannWhitneyTests
{
    /// <summary>
    /// Hollander and Wolfe's textbook pair: U counts the (earlier, later) pairs where later is larger,
    /// ties counting a half, so the statistic can be checked by hand.
    /// </summary>
    [Fact]
    public void U_counts_the_pairs_in_which_the_later_sample_is_larger()
    {
        double[] earlier = [1, 2, 3, 4];
        double[] later = [2.5, 3, 5, 6, 7];

        var (u, _) = MannWhitney.LaterIsLarger(earlier, later);

        var pairs = later.Sum(l => earlier.Sum(e => l > e ? 1 : l == e ? 0.5 : 0));
        Assert.Equal(pairs, u);
    }

    [Fact]
    public void Completely_separated_samples_of_ten_give_a_p_value_far_below_a_percent()
    {
        var earlier = Enumerable.Range(1, 10).Select(i => (double)i).ToList();
        var later = Enumerable.Range(11, 10).Select(i => (double)i).ToList();

        var (u, p) = MannWhitney.LaterIsLarger(earlier, later);

        Assert.Equal(100, u);
        // Exact one-sided p is 1 / C(20, 10) = 5.4e-6; the normal approximation is of that order.
        Assert.InRange(p, 1e-6, 1e-4);
    }

    [Fact]
    public void The_upper_tail_of_the_standard_normal_matches_its_table()
    {
        Assert.Equal(0.5, MannWhitney.UpperTail(0), 6);
        Assert.Equal(0.05, MannWhitney.UpperTail(1.6449), 4);
        Assert.Equal(0.01, MannWhitney.UpperTail(2.3263), 4);
        Assert.Equal(0.975, MannWhitney.UpperTail(-1.96), 4);
    }

    [Fact]
    public void The_shift_is_the_median_of_pairwise_differences()
    {
        Assert.Equal(10, MannWhitney.Shift([1, 2, 3], [11, 12, 13]));
    }
}
