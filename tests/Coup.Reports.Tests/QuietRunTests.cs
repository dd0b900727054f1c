namespace Coup.Reports.Tests;

public sealed class QuietRunTests(QuietReport report) : IClassFixture<QuietReport>
{
    [Theory]
    [InlineData(Report.HtmlFile)]
    [InlineData(Report.JUnitFile)]
    [InlineData(Report.TimelineFile)]
    [InlineData(Report.FailoverFile)]
    [InlineData(Report.AvailabilityFile)]
    public void GivenNoFaultsAndNoFailovers_WhenTheReportIsWritten_ThenEachFileIsStillWritten(string file) =>
        Assert.True(new FileInfo(report.PathOf(file)).Length > 0);

    [Fact]
    public void GivenNoNodeReportedItsWallClock_WhenTheReportIsWritten_ThenThereIsNoClockPlot()
    {
        Assert.False(File.Exists(report.PathOf(Report.ClockFile)));
        Assert.DoesNotContain("<h2>Clocks</h2>", report.Html);
    }

    [Fact]
    public void GivenNoAnomaliesFailoversOrFaults_WhenTheReportIsWritten_ThenThoseSectionsSayNone() =>
        Assert.Equal(3, report.Html.Split("<p class=\"none\">none</p>").Length - 1);

    [Fact]
    public void GivenAValidRun_WhenTheReportIsWritten_ThenTheBadgeShowsValid() =>
        Assert.Contains("<span class=\"verdict valid\">valid</span>", report.Html);
}
