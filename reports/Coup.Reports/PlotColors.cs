using Coup.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// The colours every plot agrees on: one per fault kind, one per term among those shown together,
/// and the shading of fault intervals.
/// </summary>
public static class PlotColors
{
    private static readonly Dictionary<string, Color> FaultColors = new()
    {
        [FaultKinds.Kill] = Color.FromHex("#e41a1c"),
        [FaultKinds.Pause] = Color.FromHex("#ff9900"),
        [FaultKinds.Partition] = Color.FromHex("#7b3fb5"),
        [FaultKinds.Clock] = Color.FromHex("#1b9e9e"),
        // Dark yellow: apart from every term colour (#2ca02c among them) and from the pause orange.
        [FaultKinds.Packet] = Color.FromHex("#c9a800"),
    };

    /// <summary>
    /// Dark enough for white labels, mutually distinct colours for terms: no grey (candidate) and no
    /// red (kills and violations), so a leadership bar never reads as an alarm.
    /// </summary>
    private static readonly Color[] TermPalette =
    [
        .. new[]
        {
            "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f00", "#17becf",
            "#393b79", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
            "#5254a3", "#843c39", "#0b6e4f", "#b5179e",
        }.Select(Color.FromHex),
    ];

    /// <summary>
    /// A colour per term by its rank among the terms shown together, not by its number: terms that follow one
    /// another always differ (kafka's epochs 1000001 and 3000001 would share a colour by number), and
    /// only terms <see cref="TermPalette"/>'s length apart in rank share one; every bar wide enough
    /// also carries its term as a label.
    /// </summary>
    public static IReadOnlyDictionary<long, Color> Terms(IEnumerable<long> shownTerms) =>
        shownTerms.Distinct().Order().Select((term, rank) => (term, rank))
            .ToDictionary(t => t.term, t => TermPalette[t.rank % TermPalette.Length]);

    public static Color Fault(string kind) => FaultColors.GetValueOrDefault(kind, Colors.Gray);

    /// <summary>
    /// Shades each fault from start to stop across the whole plot height, one legend entry per kind.
    /// </summary>
    public static void ShadeFaults(Plot plot, RunHistory history) =>
        ShadeFaults(plot, history, new TimeWindow(0, Intervals.PlotSpanS(history)));

    /// <summary>Shades the faults in <paramref name="window"/>.</summary>
    public static void ShadeFaults(Plot plot, RunHistory history, TimeWindow window)
    {
        var named = new HashSet<string>();
        foreach (var fault in Intervals.Faults(history).Where(f => window.Overlaps(f.StartS, f.EndS)))
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
