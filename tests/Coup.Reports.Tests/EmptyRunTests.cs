using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

public sealed class EmptyRunTests
{
    [Fact]
    public void GivenAHistoryCutShortRightAfterItStarted_WhenTheReportIsWritten_ThenItRendersAndSaysSo()
    {
        var run = new HistoryBuilder(["n1", "n2", "n3"], []).Build(0);
        var history = run with { Events = [run.Run], End = null };
        var results = new Results { Verdict = Verdict.Unknown, Checks = [] };
        var directory = Path.Combine(Path.GetTempPath(), $"coup-report-test-{Guid.NewGuid():N}");
        try
        {
            Report.Write(directory, history, results);
            var html = File.ReadAllText(Path.Combine(directory, Report.HtmlFile));

            Assert.Contains("<span class=\"verdict unknown\">unknown</span>", html);
            Assert.Contains("the history was cut short", html);
            Assert.True(File.Exists(Path.Combine(directory, Report.TimelineFile)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void GivenMoreAnomaliesThanThePageShows_WhenTheReportIsWritten_ThenItSaysHowManyMore()
    {
        var history = SampleRuns.Quiet();
        var many = Enumerable.Range(0, ReportPage.AnomalyRowsMax + 3)
            .Select(i => new Anomaly
            {
                Kind = "split-brain",
                Description = $"overlap {i}",
                Nodes = ["n1", "n2"],
                Terms = [1],
                StartNs = i,
            })
            .ToList();
        var results = new Results
        {
            Verdict = Verdict.Invalid,
            Checks =
            [
                new CheckResult
                {
                    Checker = "split-brain",
                    Verdict = Verdict.Invalid,
                    Summary = "many",
                    Anomalies = many,
                },
            ],
        };

        var html = ReportPage.Render(history, results, new ReportPlots([1], [1], [1], null), []);

        Assert.Contains("... and 3 more; results.json lists them all.", html);
        Assert.DoesNotContain($"overlap {ReportPage.AnomalyRowsMax}<", html);
    }
}
