using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

/// <summary>A run of a real system: polled states that carry how late each can have been recorded.</summary>
public sealed class SystemRunReportTests(SystemRunReport report) : IClassFixture<SystemRunReport>
{
    [Fact]
    public void GivenPolledStates_WhenTheReportIsWritten_ThenItSaysHowLateAChangeCanHaveBeenRecorded() =>
        Assert.Contains(
            "<th>observation</th><td>every member asked every 50 ms; 4 changes, "
            + "each recorded at most p50 52 / p99 480 / max 480 ms after it happened",
            report.Html);

    [Fact]
    public void GivenASystemRun_WhenTheReportIsWritten_ThenTheReproduceLineNamesTheSystemAndItsSettings() =>
        Assert.Contains("./coup run --system etcd --set heartbeat-ms=50 --observe-ms 50 --nodes 3", report.Html);

    [Fact]
    public void GivenARunOfCoupsOwnNodes_WhenTheReportIsWritten_ThenItHasNoObservationLine() =>
        Assert.DoesNotContain("<th>observation</th>", new QuietReportHtml().Html);

    private sealed class QuietReportHtml() : RenderedReport(SampleRuns.Quiet(), SampleRuns.QuietResults());
}

public sealed class SystemRunReport() : RenderedReport(Build(), SampleRuns.QuietResults())
{
    private static RunHistory Build()
    {
        var quiet = SampleRuns.Quiet();
        var lagsMs = new Queue<double>([40, 52, 60, 480]);
        var states = quiet.Events.Select(e => e is StateObserved { Term: > 0 } s && lagsMs.TryDequeue(out var lag)
            ? s with { Source = "poll", LagNs = HistoryBuilder.Ns(lag / 1000) }
            : e).ToList();
        var run = quiet.Run with
        {
            Algorithm = "etcd",
            System = "etcd",
            Settings = ["heartbeat-ms=50"],
            ObservePeriodMs = 50,
            Runtime = "docker",
        };
        return quiet with { Run = run, Events = [run, .. states.Skip(1)] };
    }
}
