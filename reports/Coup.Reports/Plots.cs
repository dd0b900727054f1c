using Coup.Checkers;
using Coup.Checkers.Checks;
using Coup.Checkers.History;
using ScottPlot;

namespace Coup.Reports;

/// <summary>The report's plots, rendered to PNG with ScottPlot.</summary>
public static class Plots
{
    public const int Width = 1400;

    private static readonly Dictionary<string, Color> FaultColors = new()
    {
        [FaultKinds.Kill] = Colors.Red,
        [FaultKinds.Pause] = Colors.Orange,
        [FaultKinds.Partition] = Colors.Purple,
        [FaultKinds.Clock] = Colors.Teal,
    };

    /// <summary>Distinct, saturated colours for terms; no grey, which means "candidate".</summary>
    private static readonly Color[] TermPalette =
        [.. new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79" }.Select(Color.FromHex)];

    public static Color TermColor(long term) => TermPalette[(int)(term % TermPalette.Length)];

    /// <summary>One lane per node: leadership as thick bars coloured by term, candidacy thin grey, following a thin line.</summary>
    public static byte[] Timeline(History history, Results results)
    {
        var plot = new Plot();
        var nodes = history.Run.Nodes;
        double Lane(string node) => nodes.Count - 1 - IndexOf(nodes, node);
        ShadeFaults(plot, history);
        foreach (var interval in Intervals.Roles(history))
        {
            var y = Lane(interval.Node);
            var (half, color) = interval.Role switch
            {
                Roles.Leader => (0.35, TermColor(interval.Term)),
                Roles.Candidate => (0.12, Colors.Gray),
                _ => (0.04, Colors.DarkGray),
            };
            var rectangle = plot.Add.Rectangle(interval.StartS, interval.EndS, y - half, y + half);
            rectangle.FillStyle.Color = color;
            rectangle.LineStyle.Width = 0;
            if (interval.Role == Roles.Leader && interval.EndS - interval.StartS > history.EndNs / 1e9 / 40)
            {
                var label = plot.Add.Text($"t{interval.Term}", (interval.StartS + interval.EndS) / 2, y);
                label.LabelFontColor = Colors.White;
                label.LabelFontSize = 11;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }
        foreach (var anomaly in results.Anomalies.Where(a => a.Violation && a.Nodes.Count > 0))
        {
            var end = Intervals.Seconds(anomaly.EndNs ?? anomaly.StartNs) + 0.05;
            var span = plot.Add.Rectangle(Intervals.Seconds(anomaly.StartNs), end, -0.55, nodes.Count - 0.45);
            span.FillStyle.Color = Colors.Red.WithAlpha(0.12);
            span.LineStyle.Color = Colors.Red;
            span.LineStyle.Width = 1;
        }
        plot.Axes.Left.SetTicks([.. nodes.Select(Lane)], [.. nodes]);
        plot.Axes.SetLimits(0, history.EndNs / 1e9, -0.7, nodes.Count - 0.3);
        plot.Title("Who led when (bars: leader, coloured by term; grey: candidate; shading: faults; red boxes: violations)");
        plot.XLabel("seconds since the run started (controller clock)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, 140 + 55 * nodes.Count, ImageFormat.Png);
    }

    /// <summary>Each failover as a dot per measure, with p50 and p99 lines.</summary>
    public static byte[] Failovers(Results results)
    {
        var plot = new Plot();
        var failovers = results.Failovers.ToList();
        var measures = new (string Name, Func<FailoverLatency, long?> Of, Color Color, double Y)[]
        {
            ("to the first new claim", f => f.ToFirstClaimNs, Colors.SteelBlue, 1),
            ("to a majority-acknowledged leader", f => f.ToMajorityLeaderNs, Colors.DarkOrange, 0),
        };
        if (failovers.Count == 0)
        {
            plot.Add.Text("no fault took the leader away in this run", 0, 0.5).LabelFontSize = 18;
            plot.Axes.SetLimits(-1, 5, 0, 1);
        }
        foreach (var (name, of, color, y) in measures)
        {
            var ms = failovers.Select(of).OfType<long>().Select(ns => ns / 1e6).Order().ToList();
            if (ms.Count == 0)
            {
                continue;
            }
            var jitter = new Random(1);
            var dots = plot.Add.ScatterPoints(ms.ToArray(), ms.Select(_ => y + (jitter.NextDouble() - 0.5) * 0.3).ToArray());
            dots.Color = color;
            dots.MarkerSize = 9;
            dots.LegendText = $"{name}: p50 {Percentiles.NearestRank(ms, 50):0} ms, p99 {Percentiles.NearestRank(ms, 99):0} ms, max {ms[^1]:0} ms (n={ms.Count})";
            foreach (var p in new[] { 50, 99 })
            {
                var line = plot.Add.VerticalLine(Percentiles.NearestRank(ms, p));
                line.Color = color.WithAlpha(0.6);
                line.LinePattern = p == 50 ? LinePattern.Solid : LinePattern.Dashed;
                line.Text = $"p{p}";
            }
        }
        if (failovers.Count > 0)
        {
            plot.Axes.Left.SetTicks([0, 1], ["majority leader", "first claim"]);
            plot.Axes.SetLimitsY(-0.6, 1.6);
            plot.ShowLegend(Alignment.UpperRight);
        }
        plot.Title("Failover latency after each fault that took the leader away");
        plot.XLabel("milliseconds from the fault taking effect");
        return plot.GetImageBytes(Width, 380, ImageFormat.Png);
    }

    /// <summary>Write completions per second by outcome, with fault shading.</summary>
    public static byte[] Availability(History history)
    {
        var plot = new Plot();
        var seconds = (int)Math.Ceiling(history.EndNs / 1e9) + 1;
        var completions = history.Ops.Where(o => o.Phase != OpPhases.Invoke).ToList();
        var top = 1.0;
        foreach (var (phase, color) in new[] { (OpPhases.Ok, Colors.SeaGreen), (OpPhases.Fail, Colors.Crimson), (OpPhases.Info, Colors.DarkGoldenRod) })
        {
            var counts = new double[seconds];
            foreach (var op in completions.Where(o => o.Phase == phase))
            {
                counts[(int)(op.TimeNs / 1_000_000_000)]++;
            }
            var line = plot.Add.Scatter(Enumerable.Range(0, seconds).Select(s => s + 0.5).ToArray(), counts);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"{phase} ({completions.Count(o => o.Phase == phase)})";
            top = Math.Max(top, counts.Max());
        }
        ShadeFaults(plot, history);
        plot.Axes.SetLimits(0, history.EndNs / 1e9, 0, top * 1.15);
        plot.Title("Client writes completed per second, by outcome (info = indeterminate)");
        plot.XLabel("seconds since the run started");
        plot.YLabel("writes per second");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, 360, ImageFormat.Png);
    }

    /// <summary>Each node's clock minus the controller's, as the nodes reported it.</summary>
    public static byte[]? Clocks(History history)
    {
        var startMs = history.Run.StartedAt.ToUnixTimeMilliseconds();
        var readings = history.States.Where(s => s.NodeWallMs is not null).ToList();
        if (readings.Count == 0)
        {
            return null;
        }
        var plot = new Plot();
        ShadeFaults(plot, history);
        foreach (var (node, index) in history.Run.Nodes.Select((n, i) => (n, i)))
        {
            var mine = readings.Where(r => r.Node == node).ToList();
            if (mine.Count == 0)
            {
                continue;
            }
            var dots = plot.Add.Scatter(mine.Select(r => r.TimeNs / 1e9).ToArray(), mine.Select(r => r.NodeWallMs!.Value - (startMs + r.TimeNs / 1e6)).ToArray());
            dots.Color = new ScottPlot.Palettes.Category10().GetColor(index);
            dots.LineWidth = 1;
            dots.LegendText = node;
        }
        plot.Title("Node clock offset from the controller (ms), as each node reported its wall clock");
        plot.XLabel("seconds since the run started");
        plot.YLabel("offset (ms)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, 320, ImageFormat.Png);
    }

    private static void ShadeFaults(Plot plot, History history)
    {
        var named = new HashSet<string>();
        foreach (var fault in Intervals.Faults(history))
        {
            var span = plot.Add.HorizontalSpan(fault.StartS, fault.EndS);
            var color = FaultColors.GetValueOrDefault(fault.Kind, Colors.Gray);
            span.FillStyle.Color = color.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            if (named.Add(fault.Kind))
            {
                span.LegendText = fault.Kind;
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
        return 0;
    }
}
