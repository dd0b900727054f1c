using Coup.Checkers;
using ScottPlot;

namespace Coup.Reports.Matrix;

/// <summary>
/// Failover latency of every target under one nemesis, side by side as box plots (box p25 to p75, bar
/// at p50, whiskers to the smallest and largest failover), with the baseline's box beside each in grey.
/// SVG, so its text stays legible when the page is narrow.
/// </summary>
public static class ComparisonPlot
{
    public const int Width = 1000;
    public const int Height = 440;
    private const float FontSize = 20;

    /// <summary>The page's own sans-serif, so the SVG text matches the page around it.</summary>
    public const string PlotFont = "DejaVu Sans";

    private static readonly Color Tonight = Color.FromHex("#1f77b4");
    private static readonly Color Before = Color.FromHex("#9e9e9e");

    /// <summary>
    /// One box per target, in the order given; a target without failovers gets a note instead of a box.
    /// </summary>
    public static string RenderSvg(
        string nemesis, IReadOnlyList<(string Target, CellResult Tonight, CellResult? Baseline)> cells)
    {
        var plot = new Plot();
        plot.Font.Set(PlotFont);
        plot.Title($"Failover latency under {nemesis}");
        plot.Axes.Title.Label.FontSize = FontSize + 4;
        var hasBaseline = cells.Any(c => c.Baseline is not null);
        var ticks = new List<Tick>();
        var maxMs = 1.0;
        for (var index = 0; index < cells.Count; index++)
        {
            var (target, tonight, baseline) = cells[index];
            var tonightMs = FailoverSample.Of(tonight).SortedMs;
            var baselineMs = baseline is null ? [] : FailoverSample.Of(baseline).SortedMs;
            maxMs = Math.Max(maxMs, tonightMs.Concat(baselineMs).DefaultIfEmpty(0).Max());
            var position = index * 3.0;
            ticks.Add(new Tick(position, $"{target}\n(n={tonightMs.Count})"));
            if (hasBaseline && baselineMs.Count > 0)
            {
                AddBox(plot, baselineMs, position - 0.55, Before);
            }
            if (tonightMs.Count > 0)
            {
                AddBox(plot, tonightMs, hasBaseline ? position + 0.55 : position, Tonight);
            }
            else
            {
                var none = plot.Add.Text("no failover", position, 0);
                none.LabelFontSize = FontSize - 2;
                none.LabelFontColor = Colors.Gray;
                none.LabelAlignment = Alignment.LowerCenter;
            }
        }
        plot.Axes.Bottom.SetTicks(ticks.Select(t => t.Position).ToArray(), ticks.Select(t => t.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Left.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Left.Label.FontSize = FontSize;
        plot.YLabel("ms to a majority leader");
        plot.Axes.SetLimitsX(-1.5, (cells.Count - 1) * 3.0 + 1.5);
        plot.Axes.SetLimitsY(0, maxMs * 1.1);
        if (hasBaseline)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "baseline", FillColor = Before });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "tonight", FillColor = Tonight });
            plot.Legend.FontSize = FontSize;
            plot.ShowLegend(Edge.Bottom);
        }
        return plot.GetSvgXml(Width, Height);
    }

    private static void AddBox(Plot plot, IReadOnlyList<double> sortedMs, double position, Color color)
    {
        var box = new Box
        {
            Position = position,
            BoxMin = Percentiles.NearestRank(sortedMs, 25),
            BoxMax = Percentiles.NearestRank(sortedMs, 75),
            BoxMiddle = Percentiles.NearestRank(sortedMs, 50),
            WhiskerMin = sortedMs[0],
            WhiskerMax = sortedMs[^1],
            Width = 0.9,
        };
        // The plottable's style wins over the box's: set it there, or the palette colours each box.
        var added = plot.Add.Box(box);
        added.FillColor = color.WithAlpha(0.6);
        added.LineColor = color.Darken(0.4);
        added.LineWidth = 2;
    }
}
