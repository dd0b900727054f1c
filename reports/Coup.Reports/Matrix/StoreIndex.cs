using System.Globalization;
using Coup.Checkers;
using ScottPlot;

namespace Coup.Reports.Matrix;

/// <summary>One night kept in the store: <c>nights/&lt;yyyy-MM-dd&gt;/matrix.json</c>.</summary>
public sealed record Night(string Date, MatrixResult Result);

/// <summary>
/// <c>store/index.html</c>, the way Jepsen's <c>serve</c> lets people browse a store: the runs newest
/// first with test, verdict, date, duration and links, the matrix of this store if it has one, and a
/// trend of failover p50 and p99 per target over the nights kept in <c>nights/</c>. Regenerated from what
/// is on disk after every run and merge, so it never disagrees with the store.
/// </summary>
public static class StoreIndex
{
    public const string FileName = "index.html";
    /// <summary>Nights kept by <see cref="KeepNight"/>: a month of nightly trends.</summary>
    public const int NightsKept = 30;
    /// <summary>Runs listed; the store keeps the rest and the page says how many it left out.</summary>
    public const int RunRowsMax = 1000;

    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1400px;color:#222}
        h2{margin-top:1.6em;border-bottom:1px solid #ddd} .scroll{overflow-x:auto}
        table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
        td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top;white-space:nowrap}
        th{background:#f3f3f3} td.num{text-align:right} a{margin-right:.4em}
        .verdict{display:inline-block;padding:.05em .5em;border-radius:.3em;color:#fff;font-weight:bold}
        .valid{background:#2e7d32}.invalid{background:#c62828}.unknown{background:#ef8f00}.unchecked{background:#777}
        .none{color:#777} img{max-width:100%;height:auto} figure{margin:1em 0} figcaption{color:#555;font-size:.9em}
        """;

    /// <summary>
    /// Writes <c>index.html</c> at the store root from the runs and nights found there; returns its path.
    /// </summary>
    public static string Write(string storeRoot)
    {
        var path = Path.Combine(storeRoot, FileName);
        File.WriteAllText(path, Render(storeRoot, StoredRuns.Find(storeRoot), Nights(storeRoot)));
        return path;
    }

    /// <summary>
    /// Keeps a merged result as <c>nights/&lt;date&gt;/matrix.json</c> (the UTC date it started; a second
    /// result of one date replaces the first) and removes the oldest nights beyond <see cref="NightsKept"/>.
    /// </summary>
    public static string KeepNight(string storeRoot, MatrixResult merged)
    {
        var date = merged.StartedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var directory = Directory.CreateDirectory(Path.Combine(storeRoot, StoredRuns.NightsDirectory, date)).FullName;
        var path = Path.Combine(directory, MatrixResult.FileName);
        merged.Write(path);
        var nights = Directory.GetDirectories(Path.Combine(storeRoot, StoredRuns.NightsDirectory))
            .Where(d => IsDate(Path.GetFileName(d))).Order(StringComparer.Ordinal).ToList();
        foreach (var old in nights.Take(Math.Max(0, nights.Count - NightsKept)))
        {
            Directory.Delete(old, recursive: true);
        }
        return path;
    }

    /// <summary>
    /// The nights kept in the store, oldest first; a night whose matrix.json does not read is left out.
    /// </summary>
    public static IReadOnlyList<Night> Nights(string storeRoot)
    {
        var root = Path.Combine(storeRoot, StoredRuns.NightsDirectory);
        if (!Directory.Exists(root))
        {
            return [];
        }
        var nights = new List<Night>();
        foreach (var directory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, MatrixResult.FileName);
            if (!IsDate(Path.GetFileName(directory)) || !File.Exists(path))
            {
                continue;
            }
            try
            {
                nights.Add(new Night(Path.GetFileName(directory), MatrixResult.Read(path)));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or IOException)
            {
                continue;
            }
        }
        return nights;
    }

    /// <summary>
    /// Failover p50 and p99 (ms) of one target over every cell and run of each night, null where it had none.
    /// </summary>
    public static IReadOnlyList<(string Date, double? P50Ms, double? P99Ms)> Trend(
        IReadOnlyList<Night> nights, string target) =>
        nights.Select(night =>
        {
            var ms = night.Result.Cells.Where(c => c.Target == target)
                .SelectMany(c => c.Runs).SelectMany(r => r.FailoverMs).Order().ToList();
            return (night.Date,
                ms.Count == 0 ? (double?)null : Percentiles.NearestRank(ms, 50),
                ms.Count == 0 ? (double?)null : Percentiles.NearestRank(ms, 99));
        }).ToList();

    public static string Render(string storeRoot, IReadOnlyList<StoredRun> runs, IReadOnlyList<Night> nights)
    {
        var html = new Html().Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw($"<title>Coup store</title><style>{Style}</style></head><body>\n");
        html.Element("h1", "Coup store");
        var links = new[] { ComparisonPage.FileName, MatrixResult.FileName, Report.JUnitFile }
            .Where(f => File.Exists(Path.Combine(storeRoot, f))).ToList();
        if (links.Count > 0)
        {
            html.Raw("<p>This store's matrix: ").Raw(string.Concat(links.Select(Link))).Raw("</p>\n");
        }
        html.Element("h2", "Failover trend over the nights kept");
        Trends(html, nights);
        html.Element("h2", $"Runs, newest first ({runs.Count})");
        html.Raw("<div class=\"scroll\"><table><thead><tr><th>started</th><th>test</th><th>verdict</th><th>files</th>")
            .Raw("<th>seed</th><th>runtime</th><th>duration s</th></tr></thead><tbody>\n");
        foreach (var run in runs.Take(RunRowsMax))
        {
            var verdict = run.Verdict is { } v ? ReportPage.Name(v) : "unchecked";
            var started = run.StartedAt?.UtcDateTime
                .ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            var fileLinks = run.Files.Select(f => Link($"{run.Directory}/{f}", Path.GetFileNameWithoutExtension(f)));
            var seed = run.Seed?.ToString(CultureInfo.InvariantCulture);
            var duration = run.DurationS is { } s ? Html.Seconds(s) : "-";
            html.Raw("<tr>")
                .Raw($"<td>{Html.Escape(started ?? "-")}</td>")
                .Raw($"<td>{Html.Escape(run.Test)}</td><td><span class=\"verdict {verdict}\">{verdict}</span></td>")
                .Raw($"<td>{string.Concat(fileLinks)}</td>")
                .Raw($"<td class=\"num\">{Html.Escape(seed ?? "-")}</td>")
                .Raw($"<td>{Html.Escape(run.Runtime ?? "-")}</td><td class=\"num\">{duration}</td></tr>\n");
        }
        html.Raw("</tbody></table></div>\n");
        html.Element("p",
            "Duration: the history's last recorded time, on the controller's clock (simulated time for sim runs).",
            "none");
        if (runs.Count > RunRowsMax)
        {
            html.Element("p",
                $"... and {runs.Count - RunRowsMax} older runs, kept in the store but not listed.", "none");
        }
        return html.Raw("</body></html>\n").ToString();
    }

    private static void Trends(Html html, IReadOnlyList<Night> nights)
    {
        if (nights.Count == 0)
        {
            html.Element("p", "No night kept yet: coup merge keeps each merged result as " +
                $"{StoredRuns.NightsDirectory}/<date>/{MatrixResult.FileName}.", "none");
            return;
        }
        var targets = nights.SelectMany(n => n.Result.Cells).Select(c => c.Target)
            .Distinct().Order(StringComparer.Ordinal).ToList();
        html.SvgImage(TrendSvg(nights, targets), "failover p50 and p99 per target over the nights",
            "Per target, the failovers of every cell and run of a night pooled: p50 thick with dots, p99 thin " +
            "with squares, in ms; a gap is a night with no failover.");
        html.Raw("<div class=\"scroll\">\n");
        html.Table(["target", .. nights.Select(n => n.Date)], targets.Select(target => (IReadOnlyList<string>)
            [target, .. Trend(nights, target).Select(t => t.P50Ms is null ? "-" : $"{t.P50Ms:0} / {t.P99Ms:0}")]));
        html.Raw("</div>\n");
        html.Element("p",
            "Cells: failover p50 / p99 in ms, pooled over every cell and run of the target that night.", "none");
    }

    private static string TrendSvg(IReadOnlyList<Night> nights, IReadOnlyList<string> targets)
    {
        var plot = new Plot();
        plot.Font.Set(ComparisonPlot.PlotFont);
        plot.Title("Failover latency per target, night by night");
        var palette = new ScottPlot.Palettes.Category10();
        for (var index = 0; index < targets.Count; index++)
        {
            var color = palette.GetColor(index);
            var trend = Trend(nights, targets[index]);
            // Skia's SVG device drops dash patterns (it prints "Unsupported path effect in addPaint" and draws
            // the dashes solid), so p99 is told apart by a thinner line and open square markers instead.
            foreach (var (pick, widthPx, marker, name) in
                new (Func<(string, double?, double?), double?>, float, MarkerShape, string)[]
                {
                    (t => t.Item2, 2.5f, MarkerShape.FilledCircle, "p50"),
                    (t => t.Item3, 1, MarkerShape.OpenSquare, "p99"),
                })
            {
                var points = trend.Select((t, x) => (X: (double)x, Y: pick(t))).Where(p => p.Y is not null).ToList();
                if (points.Count == 0)
                {
                    continue;
                }
                var line = plot.Add.Scatter(
                    points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
                line.Color = color;
                line.LineWidth = widthPx;
                line.MarkerShape = marker;
                line.MarkerSize = 7;
                line.LegendText = name == "p50" ? targets[index] : "";
            }
        }
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, nights.Count).Select(i => (double)i).ToArray(), nights.Select(n => n.Date).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 20;
        plot.Axes.Left.TickLabelStyle.FontSize = 20;
        plot.Axes.SetLimitsX(-0.5, nights.Count - 0.5);
        plot.YLabel("failover ms (p50 thick, dots; p99 thin, squares)");
        plot.Legend.FontSize = 20;
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(1000, 440);
    }

    private static bool IsDate(string name) =>
        DateOnly.TryParseExact(name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string Link(string file) => Link(file, file);

    private static string Link(string href, string text) => $"<a href=\"{Html.Escape(href)}\">{Html.Escape(text)}</a>";
}
