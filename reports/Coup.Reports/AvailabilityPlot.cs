using Coup.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// Client writes completed in each second, stacked by outcome (ok, refused by a node not leading,
/// fail, info), with faults shaded
/// and, beneath the bars, a strip that is blue while a leader that a majority acknowledges exists.
/// </summary>
public static class AvailabilityPlot
{
    public const int Width = PlotStyle.Width;
    public const int Height = 380;

    private static readonly (string Outcome, string Name, Color Color)[] Outcomes =
    [
        (OpPhases.Ok, "ok", Color.FromHex("#2e8b57")),
        (ReportSummary.Refused, "refused: not leader", Color.FromHex("#9e9e9e")),
        (OpPhases.Fail, "fail", Color.FromHex("#d62728")),
        (OpPhases.Info, "info (indeterminate)", Color.FromHex("#e6a817")),
    ];

    /// <summary>A refusal by a node not leading is the client's miss, not a failure: drawn apart, in grey
    /// (<see cref="ReportSummary.OutcomeOf"/>).</summary>
    public static byte[] Render(ReportSummary summary)
    {
        var history = summary.Changes;
        var plot = new Plot();
        var runS = Intervals.PlotSpanS(history);
        var bins = (int)Math.Ceiling(runS);
        var stacked = new double[bins];
        PlotColors.ShadeFaults(plot, history);
        foreach (var (outcome, name, color) in Outcomes)
        {
            var counts = new double[bins];
            var perSecond = summary.CompletionsPerSecond.GetValueOrDefault(outcome) ?? [];
            for (var second = 0; second < perSecond.Count; second++)
            {
                counts[Math.Clamp(second, 0, bins - 1)] += perSecond[second];
            }
            var bars = Enumerable.Range(0, bins).Where(i => counts[i] > 0).Select(i => new Bar
            {
                Position = i + 0.5,
                ValueBase = stacked[i],
                Value = stacked[i] + counts[i],
                Size = 0.9,
                FillColor = color,
                LineWidth = 0,
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = $"{name}: {perSecond.Sum()}";
            plottable.Color = color;
            for (var i = 0; i < bins; i++)
            {
                stacked[i] += counts[i];
            }
        }
        var top = Math.Max(1, stacked.DefaultIfEmpty(0).Max()) * 1.1;
        var strip = (Bottom: -0.12 * top, Top: -0.04 * top);
        DrawLeaderStrip(plot, history, runS, strip);

        var step = NiceStep(top / 5);
        var ticks = Enumerable.Range(0, (int)(top / step) + 1).Select(i => i * step).ToList();
        plot.Axes.Left.SetTicks(
            [.. ticks, (strip.Bottom + strip.Top) / 2],
            [.. ticks.Select(t => $"{t:0}"), "leader"]);
        plot.Axes.SetLimits(0, runS, strip.Bottom - 0.02 * top, top);
        plot.Title("Client writes completed per second, by outcome");
        plot.XLabel("seconds since the run started (controller clock)");
        plot.YLabel("writes completed");
        plot.ShowLegend(Edge.Right);
        return PlotStyle.Png(plot, Height);
    }

    private static void DrawLeaderStrip(Plot plot, RunHistory history, double runS, (double Bottom, double Top) strip)
    {
        var none = plot.Add.Rectangle(0, runS, strip.Bottom, strip.Top);
        none.FillStyle.Color = Colors.LightGray;
        none.LineStyle.Width = 0;
        none.LegendText = "no majority leader";
        var named = false;
        foreach (var (startS, endS) in Intervals.MajorityLeader(history, Intervals.MainGroup(history)))
        {
            var span = plot.Add.Rectangle(startS, endS, strip.Bottom, strip.Top);
            span.FillStyle.Color = Color.FromHex("#1f6f8b");
            span.LineStyle.Width = 0;
            if (!named)
            {
                span.LegendText = "majority leader";
                named = true;
            }
        }
    }

    /// <summary>1, 2 or 5 times a power of ten, the smallest not below <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(rough, 1))));
        return new[] { 1.0, 2, 5, 10 }.Select(m => m * power).First(step => step >= rough);
    }
}
