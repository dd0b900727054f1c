using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

/// <summary>
/// What a reader needs beyond the verdict: the run's files, the writes an anomaly is about, distinct terms.
/// </summary>
public sealed class ReportReadingTests
{
    [Fact]
    public void GivenARunDirectoryWithItsFiles_WhenTheReportIsWritten_ThenItLinksEachRelatively()
    {
        var directory = Directory.CreateTempSubdirectory("coup-report-links-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "nodes", "n1"));
            foreach (var file in new[] { "history.jsonl", "results.json", "plan.json", "nodes/n1/node log.txt" })
            {
                File.WriteAllText(Path.Combine(directory, file), "x");
            }

            Report.Write(directory, SampleRuns.Quiet(), SampleRuns.QuietResults());

            var html = File.ReadAllText(Path.Combine(directory, Report.HtmlFile));
            foreach (var href in
                new[] { "history.jsonl", "results.json", "plan.json", "junit.xml", "nodes/n1/node%20log.txt" })
            {
                Assert.Contains($"<a href=\"{href}\">", html);
            }
            Assert.DoesNotContain($"<a href=\"{Report.TimelineFile}\">", html);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void GivenWritesAcknowledgedInAViolationsWindow_WhenTheyAreLookedUp_ThenTheNamedNodesWritesInItAreNamed()
    {
        var history = new HistoryBuilder(["n1", "n2", "n3"], [])
            .State(1, "n1", Roles.Leader, 1)
            .Write(2, 0, "n1", OpPhases.Ok, 10, term: 1)
            .Write(5, 1, "n2", OpPhases.Ok, 10, term: 2)
            .Write(5.5, 0, "n3", OpPhases.Ok, 10, term: 2)
            .Write(9, 0, "n1", OpPhases.Ok, 10, term: 1)
            .Build(10);
        var anomaly = new Anomaly
        {
            Kind = "split-brain",
            Description = "n1 and n2 lead",
            Nodes = ["n1", "n2"],
            StartNs = HistoryBuilder.Ns(4),
            EndNs = HistoryBuilder.Ns(8),
        };

        var writes = AnomalyWrites.Within(history, anomaly);

        Assert.Equal([1L], writes.Select(w => w.Value));
        Assert.Equal("1 by n2 in t2 (process 1)", AnomalyWrites.Describe(writes));
    }

    [Fact]
    public void GivenARunStartThatSaysHowTermsAreFormed_WhenThePageIsRendered_ThenItsFactsSayIt()
    {
        var quiet = SampleRuns.Quiet();
        var run = quiet.Run with { TermsFormed = "epoch = term x 1,000,000 + appointment" };
        var history = quiet with { Run = run, Events = [run, .. quiet.Events.Skip(1)] };

        var html = ReportPage.Render(history, SampleRuns.QuietResults(), new ReportPlots([1], [1], [1], null), []);

        Assert.Contains("<th>terms</th><td>epoch = term x 1,000,000 + appointment</td>", html);
    }

    [Fact]
    public void GivenTermsThatShareALastDigit_WhenColoured_ThenEachTermOfTheRunHasItsOwnColour()
    {
        long[] terms = [1, 2, 12, 1_000_001, 3_000_001, 1_000_004, 2_000_002];

        var colours = PlotColors.Terms([.. terms, .. terms]);

        Assert.Equal(terms.Length, colours.Values.Distinct().Count());
    }

    [Theory]
    [InlineData(60, 0, 0)]
    [InlineData(605, 10, 60)]
    [InlineData(3605, 20, 180)]
    public void GivenARunOfSomeLength_WhenSplitIntoPanels_ThenWholeMinutePanelsCoverItWithTheTailInTheLast(
        double runS, int panels, double panelS)
    {
        var windows = TimeWindow.Panels(runS);

        Assert.Equal(panels, windows.Count);
        Assert.All(windows.SkipLast(1), w => Assert.Equal(panelS, w.LengthS));
        if (panels > 0)
        {
            Assert.Equal((0.0, runS), (windows[0].StartS, windows[^1].EndS));
            Assert.All(windows.Zip(windows.Skip(1)), pair => Assert.Equal(pair.First.EndS, pair.Second.StartS));
        }
    }
}
