using System.Globalization;
using Coup.Checkers;
using Coup.History;

namespace Coup.Reports;

/// <summary>
/// The HTML of <c>report.html</c>: one self-contained page (inline CSS, plots as data URIs, no
/// script, no external address). Every string that came from the history or the results is escaped.
/// </summary>
public static class ReportPage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2em;max-width:1450px;color:#222}
        h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em;display:block;overflow-x:auto;max-width:100%}
        td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f3f3f3} table.facts th{width:9em} tr.violation td{background:#fde8e8}
        .verdict{display:inline-block;padding:.2em .8em;border-radius:.3em;color:#fff;font-weight:bold;font-size:1.3em}
        .valid{background:#2e7d32}.invalid{background:#c62828}.unknown{background:#ef8f00}
        td.valid,td.invalid,td.unknown{color:#fff;font-weight:bold}
        pre{background:#f3f3f3;padding:.5em;white-space:pre-wrap} .none{color:#777}
        img{max-width:100%;height:auto} figure{margin:1em 0} figcaption{color:#555;font-size:.9em}
        summary{cursor:pointer;font-weight:bold;margin:.5em 0} .files a{margin-right:.8em}
        @media (max-width:900px){body{margin:.6em} table{font-size:.8em}}
        """;

    /// <summary>
    /// A broken algorithm can produce thousands of anomalies; the page stays readable and results.json keeps them all.
    /// </summary>
    public const int AnomalyRowsMax = 500;

    public static string Render(RunHistory history, Results results, ReportPlots plots, IReadOnlyList<string> files) =>
        Render(ReportSummary.Of(history, results), results, plots, files);

    public static string Render(ReportSummary summary, Results results, ReportPlots plots, IReadOnlyList<string> files)
    {
        var history = summary.Changes;
        var run = history.Run;
        var verdict = Name(results.Verdict);
        var html = new Html().Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{Html.Escape(run.Test)}: {verdict}</title><style>{Style}</style></head><body>\n");
        html.Element("h1", $"Coup: {run.Test}").Raw($"<p><span class=\"verdict {verdict}\">{verdict}</span></p>\n");
        html.Facts(Facts(summary));
        html.Raw("<p>Reproduce:</p>").Element("pre", Report.Reproduce(run));
        html.Links("Files of this run: ", files);

        html.Element("h2", "Checks");
        ChecksTable(html, results.Checks);

        var anomalies = results.Anomalies.OrderBy(a => a.StartNs).ToList();
        var violations = anomalies.Where(a => a.Violation).ToList();
        var information = anomalies.Where(a => !a.Violation).ToList();
        html.Element("h2", $"Violations ({violations.Count})");
        AnomalyTable(html, summary, violations);
        if (information.Count > 0)
        {
            var kinds = string.Join(", ", information.GroupBy(a => a.Kind).OrderByDescending(g => g.Count())
                .Select(g => $"{g.Key} {g.Count()}"));
            html.Raw("<details><summary>")
                .Raw(Html.Escape($"{information.Count} anomalies for information, not violations ({kinds})"))
                .Raw("</summary>\n");
            AnomalyTable(html, summary, information);
            html.Raw("</details>\n");
        }

        html.Element("h2", "Timeline");
        html.Image(plots.Timeline, "leadership timeline",
            "One lane per node (per group and node where a node leads some groups and follows " +
            "others, as brokers do partitions). Thick bars: the node claimed leadership, " +
            "coloured and labelled by term; thin grey bars: candidate; thin line: follower; " +
            "an empty lane: the node was killed or had not reported yet. Shaded spans are " +
            "faults by kind, with a strip under the lanes of the nodes each fault targeted; " +
            "red boxes are violation windows on the nodes involved.");
        if (plots.TimelinePanels.Count > 0)
        {
            html.Raw("<details open><summary>")
                .Raw(Html.Escape($"The timeline in {plots.TimelinePanels.Count} windows"))
                .Raw("</summary>\n");
            foreach (var panel in plots.TimelinePanels)
            {
                html.Image(panel.Png, $"leadership timeline from {Html.Seconds(panel.Window.StartS)} s",
                    $"From {Html.Seconds(panel.Window.StartS)} s to {Html.Seconds(panel.Window.EndS)} s.");
            }
            html.Raw("</details>\n");
        }

        html.Element("h2", "Failovers");
        html.Image(plots.Failover, "failover latency",
            "Each dot is one fault that took the leader away: the time from the " +
            "fault taking effect to the first claim of a higher term (top row) " +
            "and to a leader that a majority acknowledges (bottom row). Solid lines are p50, dashed lines p99.");
        html.Table(
            [
                "fault kind",
                "at s",
                "group",
                "old leader",
                "old term",
                "to first claim ms",
                "to majority leader ms",
                "new leader",
                "new term",
            ],
            results.Failovers.OrderBy(f => f.FaultStartNs).Select(f => (IReadOnlyList<string>)
            [
                f.FaultKind,
                Html.Seconds(f.FaultStartNs),
                f.Group,
                f.OldLeader,
                f.OldTerm.ToString(CultureInfo.InvariantCulture),
                Html.Ms(f.ToFirstClaimNs),
                Html.Ms(f.ToMajorityLeaderNs),
                f.NewLeader ?? "-",
                f.NewTerm?.ToString(CultureInfo.InvariantCulture) ?? "-",
            ]));

        html.Element("h2", "Faults");
        html.Table(
            ["kind", "targets", "detail", "start s", "stop s"],
            Intervals.Faults(history).Select(f => (IReadOnlyList<string>)[
                f.Kind, string.Join(", ", f.Targets), f.Detail, Html.Seconds(f.StartS), Html.Seconds(f.EndS)]));

        html.Element("h2", "Availability");
        html.Image(plots.Availability, "client writes per second",
            "Client writes completed in each second, stacked: ok (acknowledged), " +
            "refused (the node written to said it does not lead), " +
            "fail (failed otherwise: certainly not applied), info (indeterminate, e.g. timed out). " +
            "The strip at the bottom is blue while a leader that a " +
            "majority acknowledges exists. Shaded spans are faults.");
        if (plots.Clock is { } clock)
        {
            html.Element("h2", "Clocks");
            html.Image(clock, "node clock offsets",
                "Each node's reported wall clock minus the controller's at the moment the report " +
                "arrived, in ms: the skew the clock nemesis caused, plus a few ms of delivery delay.");
        }
        return html.Raw("</body></html>\n").ToString();
    }

    private static void AnomalyTable(Html html, ReportSummary summary, IReadOnlyList<Anomaly> anomalies)
    {
        html.Table(["kind", "group", "nodes", "terms", "start s", "end s", "duration ms", "description",
            "writes acknowledged in it"],
            anomalies.Take(AnomalyRowsMax).Select(a => (IReadOnlyList<string>)[a.Kind, a.Group,
                string.Join(", ", a.Nodes), string.Join(", ", a.Terms), Html.Seconds(a.StartNs),
                a.EndNs is { } end ? Html.Seconds(end) : "-",
                a.EndNs is { } until ? Html.Ms(until - a.StartNs) : "-", a.Description,
                Writes(summary, a)]),
            i => anomalies[i].Violation ? "violation" : null);
        if (anomalies.Count > AnomalyRowsMax)
        {
            html.Element("p", $"... and {anomalies.Count - AnomalyRowsMax} more; results.json lists them all.");
        }
    }

    private static string Writes(ReportSummary summary, Anomaly anomaly)
    {
        var (named, count) = summary.WritesIn(anomaly);
        return AnomalyWrites.Describe(named, count);
    }

    private static IEnumerable<(string, string)> Facts(ReportSummary summary)
    {
        var history = summary.Changes;
        var run = history.Run;
        yield return ("test", run.Test);
        yield return ("algorithm", run.Algorithm);
        yield return ("runtime", run.Runtime);
        yield return ("nodes", $"{run.Nodes.Count}: {string.Join(", ", run.Nodes)}");
        yield return ("seed", run.Seed.ToString(CultureInfo.InvariantCulture));
        yield return ("nemesis", run.Nemesis.Count == 0 ? "none" : string.Join(", ", run.Nemesis));
        yield return ("time limit", $"{run.TimeLimitS.ToString(CultureInfo.InvariantCulture)} s");
        yield return ("interval", $"{run.IntervalS.ToString(CultureInfo.InvariantCulture)} s");
        if (run.TermsFormed is { } terms)
        {
            yield return ("terms", terms);
        }
        if (run.Workload is { } workload)
        {
            yield return ("clients", workload);
        }
        if (Observation(summary) is { } observation)
        {
            yield return ("observation", observation);
        }
        yield return ("started at", run.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
        yield return ("duration", $"{Html.Seconds(history.EndNs)} s ({summary.EventCount} events recorded)");
        yield return ("end", history.End switch
        {
            null => "none: the history was cut short",
            { Error: { } error } end => $"{end.Reason}: {error}",
            { HealedNs: { } healed } end => $"{end.Reason}, every fault healed at {Html.Seconds(healed)} s",
            var end => $"{end.Reason}, healing did not finish",
        });
    }

    /// <summary>
    /// For a polled system: how late a change can have been recorded, from the time between the
    /// question that still saw the old state and the answer that showed the new one.
    /// </summary>
    private static string? Observation(ReportSummary summary)
    {
        var lags = summary.LagsMs;
        if (lags.Count == 0)
        {
            return null;
        }
        var period = summary.Run.ObservePeriodMs is { } ms ? $"every member asked every {ms} ms; " : "";
        return $"{period}{lags.Count} changes, each recorded at most p50 {Percentiles.NearestRank(lags, 50):0} / " +
            $"p99 {Percentiles.NearestRank(lags, 99):0} / max {lags[^1]:0} ms after it happened " +
            "(the time since the previous question to that member; long bounds follow a member that did not answer)";
    }

    private static void ChecksTable(Html html, IReadOnlyList<CheckResult> checks)
    {
        if (checks.Count == 0)
        {
            html.Raw("<p class=\"none\">no checker ran</p>\n");
            return;
        }
        html.Raw("<table><thead><tr><th>checker</th><th>verdict</th><th>summary</th><th>figures</th></tr></thead>" +
            "<tbody>\n");
        foreach (var check in checks)
        {
            var verdict = Name(check.Verdict);
            var figures = string.Join(
                ", ", check.Figures.Select(f => $"{f.Key} {f.Value.ToString("0.###", CultureInfo.InvariantCulture)}"));
            html.Raw($"<tr><td>{Html.Escape(check.Checker)}</td><td class=\"{verdict}\">{verdict}</td>" +
                $"<td>{Html.Escape(check.Summary)}</td><td>{Html.Escape(figures)}</td></tr>\n");
        }
        html.Raw("</tbody></table>\n");
    }

    /// <summary>The verdict as results.json spells it; also the CSS class of its badge.</summary>
    public static string Name(Verdict verdict) => verdict.ToString().ToLowerInvariant();
}
