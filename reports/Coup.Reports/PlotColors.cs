using Coup.Checkers.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// The colours every plot agrees on: one per fault kind, one per term (stable, so term 7 has the
/// same colour in every report), and the shading of fault intervals.
/// </summary>
public static class PlotColors
{
    private static readonly Dictionary<string, Color> FaultColors = new()
    {
        [FaultKinds.Kill] = Color.FromHex("#e41a1c"),
        [FaultKinds.Pause] = Color.FromHex("#ff9900"),
        [FaultKinds.Partition] = Color.FromHex("#7b3fb5"),
        [FaultKinds.Clock] = Color.FromHex("#1b9e9e"),
    };

    /// <summary>
    /// Saturated, mutually distinct colours for terms: no grey (candidate) and no red (kills and
    /// violations), so a leadership bar never reads as an alarm.
    /// </summary>
    private static readonly Color[] TermPalette =
        [.. new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79", "#637939" }.Select(Color.FromHex)];

    public static Color Term(long term) => TermPalette[(int)(Math.Abs(term) % TermPalette.Length)];

    public static Color Fault(string kind) => FaultColors.GetValueOrDefault(kind, Colors.Gray);

    /// <summary>Shades each fault from start to stop across the whole plot height, one legend entry per kind.</summary>
    public static void ShadeFaults(Plot plot, History history)
    {
        var named = new HashSet<string>();
        foreach (var fault in Intervals.Faults(history))
        {
            var span = plot.Add.HorizontalSpan(fault.StartS, fault.EndS);
            span.FillStyle.Color = Fault(fault.Kind).WithAlpha(0.15);
            span.LineStyle.Width = 0;
            if (named.Add(fault.Kind))
            {
                span.LegendText = $"{fault.Kind} fault";
            }
        }
    }
}
