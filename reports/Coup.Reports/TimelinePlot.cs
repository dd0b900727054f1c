using Coup.Checkers;
using Coup.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// Who led when: one lane per node (the first node at the top), or, where nodes speak for several
/// groups at once (a broker's partitions), one lane per group and node. Leadership is a thick bar
/// coloured and labelled by term, candidacy a thin grey bar, following a thin light line; a killed
/// node's lane is empty until it reports again. Faults are shaded; violation windows are boxed in red.
/// </summary>
public static class TimelinePlot
{
    public const int Width = PlotStyle.Width;
    private const double LeaderHalfHeight = 0.32;
    private const double CandidateHalfHeight = 0.12;
    private const double FollowerHalfHeight = 0.03;
    private const double TargetStripBottom = 0.46;
    private const double TargetStripTop = 0.38;
    /// <summary>A bar narrower than this share of the run gets no "t&lt;term&gt;" label: it would not fit.</summary>
    private const double LabelMinShare = 1.0 / 45;

    public static int HeightFor(int laneCount) => 140 + 60 * laneCount;

    /// <summary>One lane: what <see cref="Node"/> said in <see cref="Group"/>.</summary>
    private readonly record struct LaneKey(string Node, string Group);

    /// <summary>The whole run.</summary>
    public static byte[] Render(RunHistory history, Results results) =>
        Render(history, results, new TimeWindow(0, Intervals.PlotSpanS(history)));

    /// <summary>
    /// The part of the run in <paramref name="window"/>, so a long run can be read a window at a time.
    /// </summary>
    public static byte[] Render(RunHistory history, Results results, TimeWindow window)
    {
        var plot = new Plot();
        var nodes = Intervals.Nodes(history);
        IReadOnlyList<string> groups = history.Run.GroupsAreExclusive
            ? [Intervals.MainGroup(history)]
            : LeadershipTimeline.Groups(history);
        var lanes = groups.SelectMany(g => nodes.Select(n => new LaneKey(n, g))).ToList();
        double Lane(LaneKey key) => lanes.Count - 1 - IndexOf(lanes, key);
        var roles = groups.ToDictionary(g => g,
            g => Intervals.Roles(history, g).Where(r => window.Overlaps(r.StartS, r.EndS)).ToList());
        // Ranked among the terms this panel shows, so the terms a reader sees side by side differ.
        var termColors = PlotColors.Terms(
            roles.Values.SelectMany(r => r).Where(r => r.Role == Roles.Leader).Select(r => r.Term));

        PlotColors.ShadeFaults(plot, history, window);
        DrawFaultTargets(plot, history, lanes, Lane, window);
        var labels = new List<Action>();
        foreach (var group in groups)
        {
            labels.AddRange(DrawRoles(plot, roles[group], node => Lane(new LaneKey(node, group)), window, termColors));
            DrawViolations(plot, results, [.. lanes.Where(l => l.Group == group)], Lane, window);
        }
        // Term labels last, so no violation box or fault strip covers them.
        labels.ForEach(draw => draw());
        if (history.End?.HealedNs is { } healedNs)
        {
            var healed = plot.Add.VerticalLine(Intervals.Seconds(healedNs));
            healed.Color = Colors.Black.WithAlpha(0.6);
            healed.LinePattern = LinePattern.Dashed;
            healed.LineWidth = 1;
            healed.Text = "healed";
            healed.LabelOppositeAxis = true;
        }

        plot.Axes.Left.SetTicks(
            [.. lanes.Select(Lane)],
            [.. lanes.Select(l => groups.Count == 1 ? l.Node : $"{l.Group} {l.Node}")]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Axes.SetLimits(window.StartS, window.EndS, -0.6, lanes.Count - 0.4);
        plot.Title(groups.Count > 1 ? "Who led when, per group"
            : groups[0] == "default" ? "Who led when"
            : $"Who led when (group {groups[0]})");
        plot.XLabel("seconds since the run started (controller clock)");
        plot.ShowLegend(Edge.Right);
        return PlotStyle.Png(plot, HeightFor(lanes.Count));
    }

    /// <summary>
    /// Draws the bars; returns the drawing of their term labels, to be done on top of everything else.
    /// </summary>
    private static List<Action> DrawRoles(Plot plot, IReadOnlyList<RoleInterval> roles, Func<string, double> lane,
        TimeWindow window, IReadOnlyDictionary<long, Color> termColors)
    {
        var candidateNamed = false;
        var labels = new List<Action>();
        foreach (var interval in roles)
        {
            var y = lane(interval.Node);
            var (half, color) = interval.Role switch
            {
                Roles.Leader => (LeaderHalfHeight, termColors[interval.Term]),
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
            var (shownStartS, shownEndS) =
                (Math.Max(interval.StartS, window.StartS), Math.Min(interval.EndS, window.EndS));
            if (interval.Role == Roles.Leader && shownEndS - shownStartS > window.LengthS * LabelMinShare)
            {
                labels.Add(() =>
                {
                    var label = plot.Add.Text($"t{interval.Term}", (shownStartS + shownEndS) / 2, y);
                    label.LabelFontColor = Colors.White;
                    label.LabelFontSize = 15;
                    label.LabelBold = true;
                    label.LabelAlignment = Alignment.MiddleCenter;
                });
            }
        }
        return labels;
    }

    /// <summary>
    /// A strip under each lane of a node a fault targeted (killed, paused, cut off), in the fault's colour.
    /// </summary>
    private static void DrawFaultTargets(Plot plot, RunHistory history, IReadOnlyList<LaneKey> lanes,
        Func<LaneKey, double> lane, TimeWindow window)
    {
        foreach (var fault in Intervals.Faults(history).Where(f => window.Overlaps(f.StartS, f.EndS)))
        {
            foreach (var key in lanes.Where(l => fault.Targets.Contains(l.Node)))
            {
                var y = lane(key);
                var strip = plot.Add.Rectangle(fault.StartS, fault.EndS, y - TargetStripBottom, y - TargetStripTop);
                strip.FillStyle.Color = PlotColors.Fault(fault.Kind);
                strip.LineStyle.Width = 0;
            }
        }
    }

    /// <summary>
    /// Boxes the lanes of the nodes each violation of this group names (all of the group's lanes if
    /// it names none) over its window. <paramref name="lanes"/> are one group's, in order.
    /// </summary>
    private static void DrawViolations(Plot plot, Results results, IReadOnlyList<LaneKey> lanes,
        Func<LaneKey, double> lane, TimeWindow window)
    {
        var group = lanes[0].Group;
        foreach (var anomaly in results.Anomalies.Where(a => a.Violation && a.Group == group))
        {
            var startS = Intervals.Seconds(anomaly.StartNs);
            // An instant (or open-ended) anomaly still gets a box wide enough to see.
            var endS = Math.Max(Intervals.Seconds(anomaly.EndNs ?? anomaly.StartNs), startS + window.LengthS / 400);
            if (!window.Overlaps(startS, endS))
            {
                continue;
            }
            var named = lanes.Where(l => anomaly.Nodes.Contains(l.Node)).Select(lane).ToList();
            var boxes = named.Count == 0
                ? [(lanes.Min(lane) - 0.5, lanes.Max(lane) + 0.5)]
                : named.Select(y => (y - 0.45, y + 0.45)).ToList();
            foreach (var (bottom, top) in boxes)
            {
                var box = plot.Add.Rectangle(startS, endS, bottom, top);
                box.FillStyle.Color = Colors.Red.WithAlpha(0.12);
                box.LineStyle.Color = Colors.Red;
                box.LineStyle.Width = 2;
                if (!plot.GetPlottables()
                    .OfType<ScottPlot.Plottables.Rectangle>()
                    .Any(r => r.LegendText == "violation"))
                {
                    box.LegendText = "violation";
                }
            }
        }
    }

    private static int IndexOf(IReadOnlyList<LaneKey> lanes, LaneKey key)
    {
        for (var i = 0; i < lanes.Count; i++)
        {
            if (lanes[i] == key)
            {
                return i;
            }
        }
        throw new ArgumentException($"node {key.Node} has no lane in group {key.Group}", nameof(key));
    }
}

/// <summary>A span of the run's controller clock, in seconds, that one timeline panel shows.</summary>
public readonly record struct TimeWindow(double StartS, double EndS)
{
    public double LengthS => EndS - StartS;

    public bool Overlaps(double startS, double endS) => startS < EndS && endS > StartS;

    /// <summary>
    /// Panels of whole minutes that split a run too long for one timeline: 60 s each, longer for
    /// long runs so there are about <paramref name="panelsMax"/> at most; none for a run that fits one.
    /// </summary>
    public static IReadOnlyList<TimeWindow> Panels(double runS, double panelMinS = 60, int panelsMax = 20)
    {
        if (runS <= panelMinS * 1.5)
        {
            return [];
        }
        var lengthS = Math.Max(panelMinS, Math.Round(runS / panelsMax / 60, MidpointRounding.AwayFromZero) * 60);
        // A short tail (the quiet period after the last window) joins the last panel rather than making its own.
        var count = Math.Max(1, (int)Math.Round(runS / lengthS));
        return [.. Enumerable.Range(0, count)
            .Select(i => new TimeWindow(i * lengthS, i == count - 1 ? runS : (i + 1) * lengthS))];
    }
}
