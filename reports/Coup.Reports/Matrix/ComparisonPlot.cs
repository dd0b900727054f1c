using System.Globalization;
using Coup.Checkers;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Coup.Reports.Matrix;

/// <summary>
/// Failover latency of every target under one nemesis as horizontal box plots, one row per target (box p25
/// to p75, bar at p50, whiskers to the smallest and largest failover), with the baseline's box above each
/// in grey. Labels sit on the left, latency runs along a log axis so one slow cell does not squash the
/// rest, and the plot grows one fixed pitch per row so labels never overlap however many targets run.
/// SVG, so its text stays legible when the page is narrow.
/// </summary>
public static class ComparisonPlot
{
    public const int Width = 1000;
    private const float FontSize = 20;

    /// <summary>Vertical space of one target's row: its label takes two lines of <see cref="FontSize"/>.</summary>
    public const int RowHeightPx = 64;

    /// <summary>Title, latency axis with its label, margins; the legend's line when a baseline is drawn.</summary>
    private const int FrameHeightPx = 150;
    private const int LegendHeightPx = 50;

    /// <summary>The page's own sans-serif, so the SVG text matches the page around it.</summary>
    public const string PlotFont = "DejaVu Sans";

    private static readonly Color Tonight = Color.FromHex("#1f77b4");
    private static readonly Color Before = Color.FromHex("#9e9e9e");

    /// <summary>Every other row is shaded, so the eye keeps to a row from its label to its box.</summary>
    private static readonly Color RowBand = Color.FromHex("#f2f2f2");

    /// <summary>About the latency axis's length: the plot's width less the row labels on its left.</summary>
    private const double LatencyAxisPx = Width - 330;

    /// <summary>Room right of the axis for half of its last tick label.</summary>
    private const float RightMarginPx = 40;

    /// <summary>Room one latency tick label needs, e.g. "200 ms" at <see cref="FontSize"/>, with a gap.</summary>
    private const double TickLabelPx = 90;

    /// <summary>The log axis's floor: a failover faster than this is drawn at it.</summary>
    private const double LatencyMsMin = 1;

    /// <summary>Height in pixels of a plot of <paramref name="rows"/> targets.</summary>
    public static int HeightPx(int rows, bool hasBaseline) =>
        FrameHeightPx + Math.Max(rows, 1) * RowHeightPx + (hasBaseline ? LegendHeightPx : 0);

    /// <summary>
    /// One row per target, top to bottom in the order given; a target without failovers gets a note in its
    /// row instead of a box.
    /// </summary>
    public static string RenderSvg(
        string nemesis, IReadOnlyList<(string Target, CellResult Tonight, CellResult? Baseline)> cells)
    {
        var plot = new Plot();
        plot.Font.Set(PlotFont);
        plot.Title($"Failover latency under {nemesis}");
        plot.Axes.Title.Label.FontSize = FontSize + 4;
        var hasBaseline = cells.Any(c => c.Baseline is not null);
        var samples = cells.Select(c => (c.Target,
            Tonight: FailoverSample.Of(c.Tonight).SortedMs,
            Baseline: c.Baseline is null ? [] : FailoverSample.Of(c.Baseline).SortedMs)).ToList();
        var allMs = samples.SelectMany(s => s.Tonight.Concat(s.Baseline)).ToList();
        var (logMin, logMax) = LogRange(allMs);
        var rowPositions = new double[samples.Count];
        var rowLabels = new string[samples.Count];
        for (var index = 0; index < samples.Count; index++)
        {
            var (target, tonightMs, baselineMs) = samples[index];
            var row = samples.Count - 1 - index;
            rowPositions[index] = row;
            rowLabels[index] = RowLabel(target, tonightMs.Count);
            if (index % 2 == 1)
            {
                var band = plot.Add.Rectangle(logMin, logMax, row - 0.5, row + 0.5);
                band.FillColor = RowBand;
                band.LineWidth = 0;
            }
            var tonightRow = hasBaseline ? row - 0.2 : row;
            if (hasBaseline && baselineMs.Count > 0)
            {
                AddBox(plot, baselineMs, row + 0.2, Before);
            }
            if (tonightMs.Count > 0)
            {
                AddBox(plot, tonightMs, tonightRow, Tonight);
            }
            else
            {
                var none = plot.Add.Text("no failover", logMin, tonightRow);
                none.LabelFontSize = FontSize - 2;
                none.LabelFontColor = Colors.DimGray;
                none.LabelAlignment = Alignment.MiddleLeft;
                none.OffsetX = 8;
            }
        }
        plot.Axes.Left.SetTicks(rowPositions, rowLabels);
        plot.Axes.Left.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = LatencyTicks(logMin, logMax);
        plot.Axes.Bottom.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Bottom.Label.FontSize = FontSize;
        plot.Axes.Right.MinimumSize = RightMarginPx;
        plot.XLabel("time to a majority leader (log scale)");
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Axes.SetLimitsX(logMin, logMax);
        plot.Axes.SetLimitsY(-0.6, samples.Count - 0.4);
        if (hasBaseline)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "baseline", FillColor = Before });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "tonight", FillColor = Tonight });
            plot.Legend.FontSize = FontSize;
            plot.ShowLegend(Edge.Bottom);
        }
        return plot.GetSvgXml(Width, HeightPx(samples.Count, hasBaseline));
    }

    /// <summary>
    /// The target on the first line; its runtime and size, if the label has them, and n on the second.
    /// </summary>
    private static string RowLabel(string target, int failovers)
    {
        var split = target.IndexOf(" (", StringComparison.Ordinal);
        var n = string.Create(CultureInfo.InvariantCulture, $"n={failovers}");
        return split < 0 ? $"{target}\n{n}" : $"{target[..split]}\n{target[(split + 1)..]} {n}";
    }

    /// <summary>
    /// The axis range in log10(ms): whole decades around every failover, at least one decade wide.
    /// </summary>
    private static (double Min, double Max) LogRange(IReadOnlyList<double> allMs)
    {
        if (allMs.Count == 0)
        {
            return (2, 4);
        }
        var min = Math.Floor(Math.Log10(Math.Max(allMs.Min(), LatencyMsMin)));
        var max = Math.Ceiling(Math.Log10(Math.Max(allMs.Max(), LatencyMsMin)));
        return (min, Math.Max(max, min + 1));
    }

    /// <summary>
    /// A labelled tick at every decade, and at 2 and 5 (or at 3) of each decade when a decade is wide enough
    /// for their labels not to touch; unlabelled ticks at the other digits.
    /// </summary>
    private static NumericManual LatencyTicks(double logMin, double logMax)
    {
        var decadePx = LatencyAxisPx / (logMax - logMin);
        int[] labelled = decadePx >= TickLabelPx / Math.Log10(2.5) ? [1, 2, 5]
            : decadePx >= TickLabelPx / Math.Log10(3) ? [1, 3]
            : [1];
        var ticks = new NumericManual();
        for (var decade = (int)logMin; decade < (int)logMax; decade++)
        {
            for (var digit = 1; digit <= 9; digit++)
            {
                var ms = digit * Math.Pow(10, decade);
                if (labelled.Contains(digit))
                {
                    ticks.AddMajor(Math.Log10(ms), Latency(ms));
                }
                else
                {
                    ticks.AddMinor(Math.Log10(ms));
                }
            }
        }
        ticks.AddMajor(logMax, Latency(Math.Pow(10, logMax)));
        return ticks;
    }

    private static string Latency(double ms) => ms < 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.#} s");

    private static void AddBox(Plot plot, IReadOnlyList<double> sortedMs, double row, Color color)
    {
        const double halfHeight = 0.17;
        double Log(double ms) => Math.Log10(Math.Max(ms, LatencyMsMin));
        var (whiskerMin, boxMin, middle, boxMax, whiskerMax) = (Log(sortedMs[0]),
            Log(Percentiles.NearestRank(sortedMs, 25)), Log(Percentiles.NearestRank(sortedMs, 50)),
            Log(Percentiles.NearestRank(sortedMs, 75)), Log(sortedMs[^1]));
        var line = color.Darken(0.4);
        var box = plot.Add.Rectangle(boxMin, boxMax, row - halfHeight, row + halfHeight);
        box.FillColor = color.WithAlpha(0.6);
        box.LineColor = line;
        box.LineWidth = 2;
        foreach (var (x1, y1, x2, y2) in new[]
        {
            (middle, row - halfHeight, middle, row + halfHeight),
            (whiskerMin, row, boxMin, row),
            (boxMax, row, whiskerMax, row),
            (whiskerMin, row - halfHeight / 2, whiskerMin, row + halfHeight / 2),
            (whiskerMax, row - halfHeight / 2, whiskerMax, row + halfHeight / 2),
        })
        {
            var segment = plot.Add.Line(x1, y1, x2, y2);
            segment.LineColor = line;
            segment.LineWidth = 2;
            segment.MarkerSize = 0;
        }
    }
}
