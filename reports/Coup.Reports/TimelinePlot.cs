using Coup.Checkers;
using Coup.Checkers.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// Who led when: one lane per node (the first node at the top). Leadership is a thick bar coloured
/// and labelled by term, candidacy a thin grey bar, following a thin light line; a killed node's
/// lane is empty until it reports again. Faults are shaded; violation windows are boxed in red.
/// </summary>
public static class TimelinePlot
{
    public const int Width = 1400;
    private const double LeaderHalfHeight = 0.32;
    private const double CandidateHalfHeight = 0.12;
    private const double FollowerHalfHeight = 0.03;
    private const double TargetStripBottom = 0.46;
    private const double TargetStripTop = 0.38;
    /// <summary>A bar narrower than this share of the run gets no "t&lt;term&gt;" label: it would not fit.</summary>
    private const double LabelMinShare = 1.0 / 45;

    public static int HeightFor(int nodeCount) => 120 + 60 * nodeCount;

    public static byte[] Render(History history, Results results)
    {
        var plot = new Plot();
        var nodes = Intervals.Nodes(history);
        var group = Intervals.MainGroup(history);
        var runS = Intervals.PlotSpanS(history);
        double Lane(string node) => nodes.Count - 1 - IndexOf(nodes, node);

        PlotColors.ShadeFaults(plot, history);
        DrawFaultTargets(plot, history, nodes, Lane);
        DrawRoles(plot, Intervals.Roles(history, group), Lane, runS);
        DrawViolations(plot, results, nodes, Lane, group);
        if (history.End?.HealedNs is { } healedNs)
        {
            var healed = plot.Add.VerticalLine(Intervals.Seconds(healedNs));
            healed.Color = Colors.Black.WithAlpha(0.6);
            healed.LinePattern = LinePattern.Dashed;
            healed.LineWidth = 1;
            healed.Text = "healed";
            healed.LabelOppositeAxis = true;
        }

        plot.Axes.Left.SetTicks([.. nodes.Select(Lane)], [.. nodes]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Axes.SetLimits(0, runS, -0.6, nodes.Count - 0.4);
        plot.Title(group == "default" ? "Who led when" : $"Who led when (group {group})");
        plot.XLabel("seconds since the run started (controller clock)");
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, HeightFor(nodes.Count), ImageFormat.Png);
    }

    private static void DrawRoles(Plot plot, IReadOnlyList<RoleInterval> roles, Func<string, double> lane, double runS)
    {
        var candidateNamed = false;
        foreach (var interval in roles)
        {
            var y = lane(interval.Node);
            var (half, color) = interval.Role switch
            {
                Roles.Leader => (LeaderHalfHeight, PlotColors.Term(interval.Term)),
                Roles.Candidate => (CandidateHalfHeight, Colors.Gray),
                _ => (FollowerHalfHeight, Colors.Gray.WithAlpha(0.45)),
            };
            var bar = plot.Add.Rectangle(interval.StartS, interval.EndS, y - half, y + half);
            bar.FillStyle.Color = color;
            bar.LineStyle.Width = 0;
            if (interval.Role == Roles.Candidate && !candidateNamed)
            {
                bar.LegendText = "candidate";
                candidateNamed = true;
            }
            if (interval.Role == Roles.Leader && interval.EndS - interval.StartS > runS * LabelMinShare)
            {
                var label = plot.Add.Text($"t{interval.Term}", (interval.StartS + interval.EndS) / 2, y);
                label.LabelFontColor = Colors.White;
                label.LabelFontSize = 12;
                label.LabelBold = true;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }
    }

    /// <summary>A strip under each lane a fault targeted (killed, paused, cut off), in the fault's colour.</summary>
    private static void DrawFaultTargets(Plot plot, History history, IReadOnlyList<string> nodes, Func<string, double> lane)
    {
        foreach (var fault in Intervals.Faults(history))
        {
            foreach (var node in fault.Targets.Where(nodes.Contains))
            {
                var y = lane(node);
                var strip = plot.Add.Rectangle(fault.StartS, fault.EndS, y - TargetStripBottom, y - TargetStripTop);
                strip.FillStyle.Color = PlotColors.Fault(fault.Kind);
                strip.LineStyle.Width = 0;
            }
        }
    }

    /// <summary>Boxes the lanes of the nodes each violation names (every lane if it names none) over its window.</summary>
    private static void DrawViolations(Plot plot, Results results, IReadOnlyList<string> nodes, Func<string, double> lane, string group)
    {
        var named = false;
        foreach (var anomaly in results.Anomalies.Where(a => a.Violation && a.Group == group))
        {
            var startS = Intervals.Seconds(anomaly.StartNs);
            // An instant (or open-ended) anomaly still gets a box wide enough to see.
            var endS = Math.Max(Intervals.Seconds(anomaly.EndNs ?? anomaly.StartNs), startS + 0.1);
            var lanes = anomaly.Nodes.Where(nodes.Contains).Select(lane).ToList();
            var boxes = lanes.Count == 0
                ? [(-0.5, nodes.Count - 0.5)]
                : lanes.Select(y => (y - 0.45, y + 0.45)).ToList();
            foreach (var (bottom, top) in boxes)
            {
                var box = plot.Add.Rectangle(startS, endS, bottom, top);
                box.FillStyle.Color = Colors.Red.WithAlpha(0.18);
                box.LineStyle.Color = Colors.Red;
                box.LineStyle.Width = 2;
                if (!named)
                {
                    box.LegendText = "violation";
                    named = true;
                }
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> nodes, string node)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] == node)
            {
                return i;
            }
        }
        throw new ArgumentException($"node {node} has no lane", nameof(node));
    }
}
