using System.Globalization;
using Coup.Checkers;

namespace Coup.Reports.Matrix;

/// <summary>
/// <c>comparison.html</c>: one self-contained page for a matrix (inline CSS, plots as SVG data URIs, no
/// script, no external address): the verdict grid of targets by nemeses with links to every run's
/// report, failover latency per nemesis side by side, each cell's figures, and with a baseline the
/// alarm's findings and how each cell compares. It shows what the results and the alarm say; it decides
/// nothing. Links are relative to the store root, where the page is written.
/// </summary>
public static class ComparisonPage
{
    public const string FileName = "comparison.html";

    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1400px;color:#222}
        h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
        .scroll{overflow-x:auto} table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
        td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
        th{background:#f3f3f3} td.num{text-align:right;white-space:nowrap}
        .verdict{display:inline-block;padding:.1em .6em;border-radius:.3em;color:#fff;font-weight:bold}
        .valid{background:#2e7d32}.invalid{background:#c62828}.unknown{background:#ef8f00}
        .big{font-size:1.3em;padding:.2em .8em} .grid td{min-width:9em} .runs a{margin-right:.35em}
        .was{display:block;font-size:.85em;color:#555;margin-top:.2em} .regression{color:#c62828;font-weight:bold}
        .muted{color:#777;font-size:.85em} .none{color:#777} ul.findings li{margin:.2em 0}
        img{max-width:100%;height:auto} figure{margin:1em 0} figcaption{color:#555;font-size:.9em}
        """;

    public static void Write(string storeRoot, MatrixResult result, Alarm? alarm) =>
        File.WriteAllText(Path.Combine(storeRoot, FileName), Render(result, alarm));

    /// <summary>
    /// Beside the cells' verdict, what else makes the exit code 1: the regressions, so a page of valid cells
    /// whose night failed says why at the top.
    /// </summary>
    private static string RegressionBadge(Alarm? alarm) =>
        alarm?.Regressions.Count() is > 0 and var count
            ? $"<span class=\"verdict big invalid\">{count} regression{(count == 1 ? "" : "s")}</span> "
            : "";

    public static string Render(MatrixResult result, Alarm? alarm)
    {
        var verdict = ReportPage.Name(result.Verdict);
        var html = new Html().Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw($"<title>{Html.Escape(result.Plan)}: {verdict}</title><style>{Style}</style></head><body>\n");
        html.Element("h1", $"Coup matrix: {result.Plan}")
            .Raw($"<p><span class=\"verdict big {verdict}\">{verdict}</span> {RegressionBadge(alarm)}" +
                $"exit code {RegressionAlarm.ExitCode(result, alarm)}</p>\n");
        html.Facts(Facts(result, alarm));
        if (alarm is not null)
        {
            Findings(html, alarm);
        }
        var rows = Rows(result);
        var columns = result.Cells.Select(MatrixJUnit.NemesisName).Distinct().Order(StringComparer.Ordinal).ToList();
        html.Element("h2", "Verdicts");
        html.Raw("<p class=\"muted\">One row per target, one column per nemesis. Each seed links to its run's report.")
            .Raw(alarm is null
                ? "</p>\n"
                : " Under each cell: the baseline's verdict and what the alarm found.</p>\n");
        Grid(html, rows, columns, alarm);
        html.Element("h2", "Failover latency");
        foreach (var nemesis in columns)
        {
            var cells = rows.SelectMany(r => r.Cells.Where(c => MatrixJUnit.NemesisName(c) == nemesis)
                .Select(c => (r.Label, c, alarm?.For(c.Id)?.Baseline))).ToList();
            if (cells.All(c => c.c.Runs.All(r => r.FailoverMs.Count == 0) && c.Baseline is null))
            {
                html.Element("p", $"{nemesis}: no failover in any cell.", "none");
                continue;
            }
            html.SvgImage(ComparisonPlot.RenderSvg(nemesis, cells), $"failover latency under {nemesis}",
                "One row per target. Each box spans p25 to p75 of the failovers of every run of the cell, " +
                "the bar is p50 and the whiskers reach the fastest and the slowest failover; n is tonight's " +
                "count. The latency axis is logarithmic, so a cell that takes seconds does not squash the " +
                "cells that take milliseconds; failovers under 1 ms are drawn at 1 ms." +
                (alarm is null ? "" : " Grey: the baseline's."));
        }
        html.Element("h2", "Figures per cell");
        html.Raw("<div class=\"scroll\">\n");
        html.Table(["target", "nemesis", "runtime", "nodes", "runs", "verdicts", "failovers",
            "p50 ms", "p90 ms", "p99 ms", "no leader", "split brain s (median / max)", "unavailable s (median)",
            "messages / election", "rounds / election"],
            rows.SelectMany(r => r.Cells).Select(Figures));
        html.Raw("</div>\n");
        if (alarm is not null)
        {
            html.Element("h2", "Against the baseline");
            html.Raw("<div class=\"scroll\">\n");
            html.Table(["cell", "verdict before", "verdict now", "failovers before / now", "p50 ms before / now",
                "p90 ms before / now", "shift ms", "p-value", "found"], alarm.Cells.Select(Against));
            html.Raw("</div>\n");
            html.Element("p", string.Create(CultureInfo.InvariantCulture,
                $"Failover latency is compared with a one-sided Mann-Whitney U test of \"tonight is slower\" " +
                $"at alpha {RegressionAlarm.Alpha}, over every failover of the cell's runs, when each side has " +
                $"at least {RegressionAlarm.RunsMin} runs with " +
                $"failovers and {RegressionAlarm.SamplesMin} failovers; " +
                $"the shift is the Hodges-Lehmann estimate. See docs/nightly.md."), "muted");
        }
        return html.Raw("</body></html>\n").ToString();
    }

    private sealed record Row(string Label, IReadOnlyList<CellResult> Cells);

    /// <summary>A row per target, runtime and cluster size; the label names the runtime and size
    /// only where a target has several.</summary>
    private static List<Row> Rows(MatrixResult result)
    {
        var byTarget = result.Cells.GroupBy(c => c.Target)
            .ToDictionary(g => g.Key, g => g.Select(c => (c.Runtime, c.Nodes)).Distinct().Count());
        return result.Cells.GroupBy(c => (c.Target, c.Runtime, c.Nodes))
            .OrderBy(g => g.Key.Target, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Runtime, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Nodes)
            .Select(g => new Row(
                byTarget[g.Key.Target] == 1 ? g.Key.Target : $"{g.Key.Target} ({g.Key.Runtime}, {g.Key.Nodes} nodes)",
                g.ToList()))
            .ToList();
    }

    private static IEnumerable<(string, string)> Facts(MatrixResult result, Alarm? alarm)
    {
        var runs = result.Cells.SelectMany(c => c.Runs).ToList();
        yield return ("plan", $"{result.Plan} (sha256 {result.PlanSha256[..Math.Min(12, result.PlanSha256.Length)]})");
        yield return ("shards", string.Join(", ", result.Shards));
        yield return ("started", Time(result.StartedAt));
        yield return ("finished",
            $"{Time(result.FinishedAt)} ({(result.FinishedAt - result.StartedAt).TotalMinutes:0.#} min)");
        yield return ("cells", string.Create(CultureInfo.InvariantCulture,
            $"{result.Cells.Count}: {Count(result.Cells, Verdict.Valid)} valid, " +
            $"{Count(result.Cells, Verdict.Invalid)} invalid, {Count(result.Cells, Verdict.Unknown)} unknown"));
        yield return ("runs", string.Create(CultureInfo.InvariantCulture,
            $"{runs.Count}: {runs.Count(r => r.Verdict == Verdict.Valid)} valid, " +
            $"{runs.Count(r => r.Verdict == Verdict.Invalid)} invalid, " +
            $"{runs.Count(r => r.Verdict == Verdict.Unknown)} unknown; " +
            $"{runs.Sum(r => r.DurationS) / 60:0.#} min of runs"));
        yield return ("baseline",
            alarm is null ? "none given" : $"{alarm.Baseline.Plan}, started {Time(alarm.Baseline.StartedAt)}");
    }

    private static int Count(IEnumerable<CellResult> cells, Verdict verdict) => cells.Count(c => c.Verdict == verdict);

    private static void Findings(Html html, Alarm alarm)
    {
        var regressions = alarm.Regressions.ToList();
        html.Element("h2", $"Regressions against the baseline ({regressions.Count})");
        var shown = alarm.Findings
            .Where(f => f.IsRegression || f.Kind is FindingKind.NewUnknown or FindingKind.CellGone)
            .OrderByDescending(f => f.IsRegression).ToList();
        if (shown.Count == 0)
        {
            html.Element("p",
                "none: no cell became invalid or newly unknown, and no failover got slower beyond run-to-run noise.",
                "none");
        }
        else
        {
            html.Raw("<ul class=\"findings\">\n");
            foreach (var finding in shown)
            {
                var css = finding.IsRegression ? " class=\"regression\"" : "";
                html.Raw($"<li><span{css}>{Html.Escape(finding.KindName)}</span> " +
                    $"{Html.Escape(finding.CellId)}: {Html.Escape(finding.Detail)}</li>\n");
            }
            html.Raw("</ul>\n");
        }
        var notEnough = alarm.Findings.Count(f => f.Kind == FindingKind.NotEnoughRuns);
        if (notEnough > 0)
        {
            html.Element("p",
                $"{notEnough} cells had not enough runs to compare failover latency; the table at the end says which.",
                "muted");
        }
    }

    private static void Grid(Html html, List<Row> rows, List<string> columns, Alarm? alarm)
    {
        html.Raw("<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>target</th>");
        foreach (var column in columns)
        {
            html.Raw($"<th>{Html.Escape(column)}</th>");
        }
        html.Raw("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            html.Raw($"<tr><th>{Html.Escape(row.Label)}</th>");
            foreach (var column in columns)
            {
                var cell = row.Cells.FirstOrDefault(c => MatrixJUnit.NemesisName(c) == column);
                html.Raw(cell is null
                    ? "<td class=\"none\">not in the plan</td>"
                    : GridCell(cell, alarm?.For(cell.Id)));
            }
            html.Raw("</tr>\n");
        }
        html.Raw("</tbody></table></div>\n");
    }

    private static string GridCell(CellResult cell, CellComparison? comparison)
    {
        var verdict = ReportPage.Name(cell.Verdict);
        var counts = string.Join(", ", new[] { Verdict.Invalid, Verdict.Unknown, Verdict.Valid }
            .Select(v => (v, n: cell.Runs.Count(r => r.Verdict == v))).Where(x => x.n > 0)
            .Select(x => $"{x.n} {ReportPage.Name(x.v)}"));
        var links = string.Concat(cell.Runs.Select(run =>
            $"<a class=\"{ReportPage.Name(run.Verdict)}-run\" " +
            $"href=\"{Html.Escape(run.RunDirectory)}/{Report.HtmlFile}\" " +
            $"title=\"{Html.Escape(ReportPage.Name(run.Verdict))}\">" +
            $"{run.Seed.ToString(CultureInfo.InvariantCulture)}</a>"));
        var cellHtml = $"<td><span class=\"verdict {verdict}\">{verdict}</span> " +
            $"<span class=\"muted\">{Html.Escape(counts)}</span>" +
            $"<span class=\"runs muted\"><br>seeds: {links}</span>";
        if (comparison is not null)
        {
            cellHtml += $"<span class=\"was\">{Html.Escape(BaselineNote(comparison))}</span>";
        }
        return cellHtml + "</td>";
    }

    /// <summary>One line under a grid cell: the baseline's verdict and the alarm's word on the cell.</summary>
    private static string BaselineNote(CellComparison comparison)
    {
        if (comparison.Baseline is null)
        {
            return "new: not in the baseline";
        }
        var before = $"was {ReportPage.Name(comparison.Baseline.Verdict)}";
        var finding = comparison.Findings.FirstOrDefault(f => f.IsRegression)
            ?? comparison.Findings.FirstOrDefault(f => f.Kind == FindingKind.NewUnknown);
        if (finding is not null)
        {
            return $"{before}; {finding.KindName.ToUpperInvariant()}";
        }
        return comparison.Failover switch
        {
            { PValue: { } p, ShiftMs: { } shift } => string.Create(CultureInfo.InvariantCulture,
                $"{before}; failover shift {shift:+0;-0;0} ms, p = {p:0.###}: within noise"),
            _ => $"{before}; not enough runs to compare failover",
        };
    }

    private static IReadOnlyList<string> Figures(CellResult cell)
    {
        var sample = FailoverSample.Of(cell);
        var splitS = cell.Runs.Select(r => r.SplitBrainMs / 1000).Order().ToList();
        var unavailableS = cell.Runs.Select(r => r.UnavailableMs / 1000).Order().ToList();
        var messages = cell.Runs.Select(r => r.MessagesPerElection).OfType<double>().ToList();
        var rounds = cell.Runs.Select(r => r.RoundsPerElection).OfType<double>().ToList();
        return
        [
            cell.Target, MatrixJUnit.NemesisName(cell), cell.Runtime, Number(cell.Nodes), Number(cell.Runs.Count),
            string.Join(", ", cell.Runs.GroupBy(r => r.Verdict).OrderBy(g => g.Key)
                .Select(g => $"{g.Count()} {ReportPage.Name(g.Key)}")),
            Number(sample.SortedMs.Count),
            Ms(sample.Percentile(50)), Ms(sample.Percentile(90)), Ms(sample.Percentile(99)),
            Number(cell.Runs.Sum(r => r.FailoversWithoutLeader)),
            splitS.Count == 0
                ? "-"
                : $"{Html.Seconds(Percentiles.NearestRank(splitS, 50))} / {Html.Seconds(splitS[^1])}",
            unavailableS.Count == 0 ? "-" : Html.Seconds(Percentiles.NearestRank(unavailableS, 50)),
            messages.Count == 0 ? "-" : messages.Average().ToString("0.#", CultureInfo.InvariantCulture),
            rounds.Count == 0 ? "-" : rounds.Average().ToString("0.#", CultureInfo.InvariantCulture),
        ];
    }

    private static IReadOnlyList<string> Against(CellComparison comparison)
    {
        var failover = comparison.Failover;
        string Pair(Func<FailoverSample, string> of) =>
            failover is null ? "-" : $"{of(failover.Baseline)} / {of(failover.Tonight)}";
        var found = comparison.Findings.Where(f => f.Kind != FindingKind.NotEnoughRuns)
            .Select(f => f.KindName).ToList();
        if (comparison.Findings.Any(f => f.Kind == FindingKind.NotEnoughRuns))
        {
            found.Add("not enough runs to compare");
        }
        return
        [
            comparison.Tonight.Id,
            comparison.Baseline is { } before ? ReportPage.Name(before.Verdict) : "-",
            ReportPage.Name(comparison.Tonight.Verdict),
            Pair(s => Number(s.SortedMs.Count)),
            Pair(s => Ms(s.Percentile(50))),
            Pair(s => Ms(s.Percentile(90))),
            failover?.ShiftMs is { } shift ? shift.ToString("+0;-0;0", CultureInfo.InvariantCulture) : "-",
            failover?.PValue is { } p ? p.ToString("0.####", CultureInfo.InvariantCulture) : "-",
            found.Count == 0 ? "nothing" : string.Join(", ", found),
        ];
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double? ms) => ms is { } value ? value.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Time(DateTimeOffset at) =>
        at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
