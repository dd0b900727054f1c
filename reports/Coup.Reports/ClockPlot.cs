using Coup.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// Each node's clock offset as the controller saw it: the node's reported wall clock minus the
/// controller's (run start in Unix ms plus the event's time), in ms. Delivery delay adds a few ms;
/// the clock nemesis shows as steps and slopes.
/// </summary>
public static class ClockPlot
{
    public const int Width = PlotStyle.Width;
    public const int Height = 340;

    /// <summary>Null when no node reported its wall clock: there is nothing to plot.</summary>
    public static byte[]? Render(ReportSummary summary)
    {
        var history = summary.Changes;
        if (summary.ClockReadings.Count == 0)
        {
            return null;
        }
        var plot = new Plot();
        PlotColors.ShadeFaults(plot, history);
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (node, index) in Intervals.Nodes(history).Select((n, i) => (n, i)))
        {
            if (summary.ClockReadings.GetValueOrDefault(node) is not { Count: > 0 } mine)
            {
                continue;
            }
            var line = plot.Add.Scatter(
                mine.Select(r => Intervals.Seconds(r.TimeNs)).ToArray(),
                mine.Select(r => r.OffsetMs).ToArray());
            line.Color = palette.GetColor(index);
            // A reading holds until the next one: steps, not slopes that would invent a drift.
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 1.5f;
            line.MarkerSize = 4;
            line.LegendText = node;
        }
        plot.Axes.SetLimitsX(0, Intervals.PlotSpanS(history));
        plot.Title("Node clock offset from the controller, as each node reported its wall clock");
        plot.XLabel("seconds since the run started (controller clock)");
        plot.YLabel("offset (ms)");
        plot.ShowLegend(Edge.Right);
        return PlotStyle.Png(plot, Height);
    }
}
