using Coup.Checkers;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// Failover latency as a dot plot: one row per measure (to the first new claim, to a leader a
/// majority acknowledges), one dot per failover, with lines at p50 (solid) and p99 (dashed).
/// </summary>
public static class FailoverPlot
{
    public const int Width = PlotStyle.Width;
    public const int Height = 380;

    private sealed record Measure(string Name, Func<FailoverLatency, long?> Of, Color Color, double Row);

    private static readonly Measure[] Measures =
    [
        new("to the first new claim", f => f.ToFirstClaimNs, Color.FromHex("#1f77b4"), 1),
        new("to a majority-acknowledged leader", f => f.ToMajorityLeaderNs, Color.FromHex("#e6550d"), 0),
    ];

    public static byte[] Render(Results results)
    {
        var plot = new Plot();
        var failovers = results.Failovers.ToList();
        plot.Title("Failover latency after each fault that took the leader away");
        if (failovers.Count == 0)
        {
            var note = plot.Add.Text(
                "No fault took the leader away in this run: there is no failover to show.", 0.5, 0.5);
            note.LabelFontSize = 20;
            note.LabelAlignment = Alignment.MiddleCenter;
            plot.Axes.SetLimits(0, 1, 0, 1);
            plot.HideAxesAndGrid();
            return PlotStyle.Png(plot, Height);
        }
        // Jitter spreads dots of equal latency vertically; seeded so a report renders the same twice.
        var jitter = new Random(1);
        foreach (var measure in Measures)
        {
            var ms = failovers.Select(measure.Of).OfType<long>().Select(ns => ns / 1e6).Order().ToList();
            var never = failovers.Count - ms.Count;
            var neverText = never == 0 ? "" : $", {never} never";
            if (ms.Count == 0)
            {
                var none = plot.Add.Text($"none of {failovers.Count} failovers reached this", 0, measure.Row);
                none.LabelFontColor = measure.Color;
                none.LabelFontSize = 16;
                none.LabelAlignment = Alignment.MiddleLeft;
                continue;
            }
            var dots = plot.Add.ScatterPoints(
                ms.ToArray(),
                ms.Select(_ => measure.Row + (jitter.NextDouble() - 0.5) * 0.4).ToArray());
            dots.Color = measure.Color.WithAlpha(0.8);
            dots.MarkerSize = 10;
            dots.LegendText = $"{measure.Name}: p50 {Percentiles.NearestRank(ms, 50):0} ms, "
                + $"p99 {Percentiles.NearestRank(ms, 99):0} ms, max {ms[^1]:0} ms (n={ms.Count}{neverText})";
            MarkPercentiles(plot, ms, measure);
        }
        plot.Axes.Left.SetTicks([0, 1], ["to majority leader", "to first claim"]);
        plot.Axes.SetLimitsY(-0.6, 1.6);
        plot.Axes.SetLimitsX(0, Math.Max(1, failovers
            .SelectMany(f => new[] { f.ToFirstClaimNs, f.ToMajorityLeaderNs })
            .OfType<long>()
            .DefaultIfEmpty(0)
            .Max() / 1e6) * 1.1);
        plot.XLabel("milliseconds from the fault taking effect");
        plot.ShowLegend(Edge.Bottom);
        return PlotStyle.Png(plot, Height);
    }

    /// <summary>Lines at p50 (solid) and p99 (dashed), labelled beside the row they belong to.</summary>
    private static void MarkPercentiles(Plot plot, IReadOnlyList<double> sortedMs, Measure measure)
    {
        var p50 = Percentiles.NearestRank(sortedMs, 50);
        var p99 = Percentiles.NearestRank(sortedMs, 99);
        var marks = p50 == p99
            ? [(p50, "p50 = p99", LinePattern.Solid)]
            : new[] { (p50, "p50", LinePattern.Solid), (p99, "p99", LinePattern.Dashed) };
        foreach (var (ms, name, pattern) in marks)
        {
            var line = plot.Add.VerticalLine(ms);
            line.Color = measure.Color.WithAlpha(0.7);
            line.LineWidth = 1.5f;
            line.LinePattern = pattern;
            var label = plot.Add.Text($"{name} {ms:0} ms", ms, measure.Row + 0.32);
            label.LabelFontColor = Colors.White;
            label.LabelBackgroundColor = measure.Color;
            label.LabelFontSize = 16;
            label.LabelAlignment = Alignment.LowerCenter;
        }
    }
}
