using System.Text;
using System.Text.RegularExpressions;

namespace Coup.Reports.Tests;

public sealed class ReportHtmlTests(RealisticReport report) : IClassFixture<RealisticReport>
{
    [Fact]
    public void GivenAnInvalidRun_WhenTheReportIsWritten_ThenReportHtmlIsOneWholeDocumentTitledWithItsTestAndVerdict()
    {
        // Read back as bytes, not through the fixture's text: a byte order mark or a page cut short
        // (the body never closed) would still be read as text.
        var bytes = File.ReadAllBytes(report.PathOf(Report.HtmlFile));
        var page = Encoding.UTF8.GetString(bytes);

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">", page,
            StringComparison.Ordinal);
        Assert.Contains($"<title>{report.History.Run.Test}: invalid</title>", page);
        Assert.EndsWith("</body></html>\n", page, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(page, "<html[ >]"));
    }

    [Fact]
    public void GivenAnInvalidRun_WhenTheReportIsWritten_ThenTheBadgeShowsTheVerdict() =>
        Assert.Contains("<span class=\"verdict invalid\">invalid</span>", report.Html);

    [Fact]
    public void GivenAnomalies_WhenTheReportIsWritten_ThenEachAnomalysNodesAndTermsAppearInItsRow()
    {
        var rows = Regex.Matches(report.Html, "<tr[^>]*>(.*?)</tr>").Select(m => m.Groups[1].Value).ToList();
        foreach (var anomaly in report.Results.Anomalies)
        {
            Assert.Contains(rows, row => row.Contains($"<td>{anomaly.Kind}</td>") &&
                row.Contains($"<td>{string.Join(", ", anomaly.Nodes)}</td>") &&
                row.Contains($"<td>{string.Join(", ", anomaly.Terms)}</td>"));
        }
    }

    [Fact]
    public void GivenViolationsAndInformation_WhenTheReportIsWritten_ThenChecksComeFirstAndInformationIsCollapsed()
    {
        var html = report.Html;
        int At(string text) => html.IndexOf(text, StringComparison.Ordinal);
        var violations = html[At("<h2>Violations (2)")..At("<details><summary>")];
        var information = html[At("<details><summary>")..At("</details>")];

        Assert.True(At("<h2>Checks") < At("<h2>Violations"), "the checks come before the anomalies");
        Assert.Equal(2, Regex.Matches(violations, "<tr class=\"violation\"><td>").Count);
        Assert.Contains("2 anomalies for information, not violations", information);
        Assert.Equal(2, Regex.Matches(information, "<tr><td>").Count);
    }

    [Fact]
    public void GivenARun_WhenTheReportIsWritten_ThenEveryPlotIsEmbeddedAsAPngDataUri() =>
        Assert.Equal(4, Regex.Matches(report.Html, "src=\"data:image/png;base64,[A-Za-z0-9+/=]{1000,}\"").Count);

    [Fact]
    public void GivenARun_WhenTheReportIsWritten_ThenItReferencesNoExternalAddress()
    {
        Assert.DoesNotContain("http://", report.Html);
        Assert.DoesNotContain("https://", report.Html);
        Assert.DoesNotContain("<script", report.Html);
    }

    [Fact]
    public void GivenARun_WhenTheReportIsWritten_ThenItShowsTheCommandThatReproducesIt() =>
        Assert.Contains(
            "./coup run --algorithm raft --nodes 5 --nemesis kill,pause,partition,clock "
            + "--time-limit 60 --interval 10 --seed 42 --runtime sim",
            report.Html);

    [Fact]
    public void GivenFailovers_WhenTheReportIsWritten_ThenEachHasARowWithItsLatencies() =>
        Assert.Contains(
            "<tr><td>pause</td><td>35.000</td><td>default</td><td>n2</td><td>3</td><td>550</td><td>1500</td>"
            + "<td>n4</td><td>4</td></tr>",
            report.Html);

    [Fact]
    public void GivenFaults_WhenTheReportIsWritten_ThenEachHasARowFromStartToStop() =>
        Assert.Contains(
            "<tr><td>partition</td><td>n3</td><td>partition n3</td><td>22.000</td><td>30.000</td></tr>",
            report.Html);
}
