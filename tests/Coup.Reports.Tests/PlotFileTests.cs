using Coup.History;

namespace Coup.Reports.Tests;

public sealed class PlotFileTests(RealisticReport report) : IClassFixture<RealisticReport>
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [InlineData(Report.TimelineFile)]
    [InlineData(Report.FailoverFile)]
    [InlineData(Report.AvailabilityFile)]
    [InlineData(Report.ClockFile)]
    public void GivenARunWithFaultsAndClockReadings_WhenTheReportIsWritten_ThenEachPlotIsAPngWithContent(string file)
    {
        var bytes = File.ReadAllBytes(report.PathOf(file));

        Assert.Equal(PngSignature, bytes[..8]);
        Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes");
    }

    [Fact]
    public void GivenFiveNodes_WhenTheTimelineIsDrawn_ThenItIsTallEnoughForFiveLanes()
    {
        var bytes = File.ReadAllBytes(report.PathOf(Report.TimelineFile));
        // The IHDR chunk holds width and height, big-endian, right after the signature and chunk header.
        var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        var height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));

        Assert.Equal(TimelinePlot.Width, width);
        Assert.Equal(TimelinePlot.HeightFor(5), height);
    }

    [Fact]
    public void GivenBrokersThatSpeakForSeveralPartitions_WhenTheTimelineIsDrawn_ThenItHasALaneForEachGroupAndNode()
    {
        // A Kafka-style run: each node reports in the controller group and in partition p0.
        var quiet = SampleRuns.Quiet();
        var p0 = quiet.States.Select(s => s with { Group = "p0", Term = s.Term * 1_000_000 }).ToList();
        var history = quiet with
        {
            Run = quiet.Run with { ExclusiveGroups = false },
            Events =
            [
                .. quiet.Events
                    .Select(e => e is StateObserved s ? s with { Group = "controller" } : e)
                    .Concat(p0)
                    .OrderBy(e => e is RunStarted ? -1 : e.TimeNs),
            ],
        };

        var bytes = TimelinePlot.Render(history, SampleRuns.QuietResults());

        Assert.Equal(
            TimelinePlot.HeightFor(3 * 2),
            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
