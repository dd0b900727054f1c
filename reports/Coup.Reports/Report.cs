using System.Globalization;
using Coup.Checkers;
using Coup.Checkers.History;

namespace Coup.Reports;

/// <summary>
/// Writes <c>report.html</c> (one self-contained file, plots embedded), the plot PNGs and
/// <c>junit.xml</c> into a run directory. It shows what the results say; it decides nothing.
/// </summary>
public static class Report
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2em;max-width:1450px;color:#222}
        table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
        td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f3f3f3} tr.violation td{background:#fde8e8}
        .verdict{display:inline-block;padding:.2em .8em;border-radius:.3em;color:#fff;font-weight:bold;font-size:1.3em}
        .valid{background:#2e7d32}.invalid{background:#c62828}.unknown{background:#ef8f00}
        code{background:#f3f3f3;padding:.1em .3em} img{max-width:100%} figcaption{color:#555;font-size:.9em}
        """;

    public static void Write(string runDirectory, History history, Results results)
    {
        var timeline = Plots.Timeline(history, results);
        var failovers = Plots.Failovers(results);
        var availability = Plots.Availability(history);
        var clocks = Plots.Clocks(history);
        File.WriteAllBytes(Path.Combine(runDirectory, "timeline.png"), timeline);
        File.WriteAllBytes(Path.Combine(runDirectory, "failover.png"), failovers);
        File.WriteAllBytes(Path.Combine(runDirectory, "availability.png"), availability);
        if (clocks is not null)
        {
            File.WriteAllBytes(Path.Combine(runDirectory, "clock.png"), clocks);
        }
        var run = history.Run;
        var verdict = results.Verdict.ToString().ToLowerInvariant();
        var html = new Html().Raw($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{Html.Escape(run.Test)}: {verdict}</title><style>{Style}</style></head><body>\n");
        html.Element("h1", $"Coup: {run.Test}").Raw($"<p><span class=\"verdict {verdict}\">{verdict}</span></p>\n");
        html.Table(["", ""],
        [
            ["algorithm", run.Algorithm], ["runtime", run.Runtime], ["nodes", string.Join(", ", run.Nodes)],
            ["seed", run.Seed.ToString(CultureInfo.InvariantCulture)], ["nemesis", run.Nemesis.Count == 0 ? "none" : string.Join(", ", run.Nemesis)],
            ["time limit / interval", $"{run.TimeLimitS} s / {run.IntervalS} s"], ["started", run.StartedAt.ToString("u", CultureInfo.InvariantCulture)],
            ["recorded", $"{Html.Seconds(history.EndNs)} s, {history.Events.Count} events, ended by {history.End?.Reason ?? "nothing: the history was cut short"}"],
            ["reproduce", Reproduce(run)],
        ]);
        var anomalies = results.Anomalies.OrderByDescending(a => a.Violation).ThenBy(a => a.StartNs).ToList();
        html.Element("h2", $"Anomalies ({anomalies.Count(a => a.Violation)} violations, {anomalies.Count(a => !a.Violation)} for information)");
        html.Table(["kind", "group", "nodes", "terms", "start s", "end s", "ms", "violation", "what"],
            anomalies.Select(a => (IReadOnlyList<string>)[a.Kind, a.Group, string.Join(", ", a.Nodes), string.Join(", ", a.Terms),
                Html.Seconds(a.StartNs), a.EndNs is { } e ? Html.Seconds(e) : "-", a.EndNs is { } end ? Html.Ms(end - a.StartNs) : "-",
                a.Violation ? "yes" : "no", a.Description]),
            i => anomalies[i].Violation ? "violation" : null);
        html.Element("h2", "Checks");
        html.Table(["checker", "verdict", "summary", "figures"], results.Checks.Select(c => (IReadOnlyList<string>)[c.Checker, c.Verdict.ToString().ToLowerInvariant(), c.Summary,
            string.Join(", ", c.Figures.Select(f => $"{f.Key} {f.Value.ToString("0.###", CultureInfo.InvariantCulture)}"))]));
        html.Element("h2", "Timeline");
        html.Image(timeline, "timeline", "One lane per node. Thick bars: the node claimed leadership, coloured and labelled by term; thin grey: candidate; thin line: follower; gaps: killed. Shaded spans are faults; red boxes are violation windows.");
        html.Element("h2", "Failovers");
        html.Image(failovers, "failover latency", "Each dot is one fault that took the leader away: time from the fault taking effect to the first claim of a higher term, and to a leader that a majority acknowledges.");
        html.Table(["fault", "at s", "old leader", "old term", "to first claim ms", "to majority leader ms", "new leader", "new term"],
            results.Failovers.Select(f => (IReadOnlyList<string>)[f.FaultKind, Html.Seconds(f.FaultStartNs), f.OldLeader, $"{f.OldTerm}",
                Html.Ms(f.ToFirstClaimNs), Html.Ms(f.ToMajorityLeaderNs), f.NewLeader ?? "-", f.NewTerm?.ToString(CultureInfo.InvariantCulture) ?? "-"]));
        html.Element("h2", "Faults");
        html.Table(["kind", "targets", "detail", "start s", "stop s"], Intervals.Faults(history).Select(f => (IReadOnlyList<string>)[f.Kind, string.Join(", ", f.Targets), f.Detail,
            f.StartS.ToString("0.000", CultureInfo.InvariantCulture), f.EndS.ToString("0.000", CultureInfo.InvariantCulture)]));
        html.Element("h2", "Availability");
        html.Image(availability, "availability", "Client writes completed per second: ok (acknowledged), fail (refused: not leader or connection refused), info (indeterminate: timed out). Shaded spans are faults.");
        if (clocks is not null)
        {
            html.Element("h2", "Clocks");
            html.Image(clocks, "clock offsets", "Each node's wall clock minus the controller's at the moment its report arrived: the skew the clock nemesis caused (plus delivery delay).");
        }
        html.Raw("</body></html>\n");
        File.WriteAllText(Path.Combine(runDirectory, "report.html"), html.ToString());
        JUnit.Write(Path.Combine(runDirectory, "junit.xml"), history, results, Reproduce(run));
    }

    public static string Reproduce(RunStarted run) =>
        $"./coup run --algorithm {run.Algorithm} --nodes {run.Nodes.Count} --nemesis {(run.Nemesis.Count == 0 ? "none" : string.Join(",", run.Nemesis))} " +
        $"--time-limit {run.TimeLimitS.ToString(CultureInfo.InvariantCulture)} --interval {run.IntervalS.ToString(CultureInfo.InvariantCulture)} --seed {run.Seed} --runtime {run.Runtime}";
}
