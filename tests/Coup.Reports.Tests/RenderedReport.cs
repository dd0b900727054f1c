using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

/// <summary>
/// A report written once into a fresh temporary directory, removed afterwards; rendering PNGs takes a moment.
/// </summary>
public abstract class RenderedReport : IDisposable
{
    protected RenderedReport(RunHistory history, Results results)
    {
        History = history;
        Results = results;
        Directory = Path.Combine(Path.GetTempPath(), $"coup-report-test-{Guid.NewGuid():N}");
        Report.Write(Directory, history, results);
        Html = File.ReadAllText(Path.Combine(Directory, Report.HtmlFile));
    }

    public RunHistory History { get; }
    public Results Results { get; }
    public string Directory { get; }
    public string Html { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The realistic five-node run with an invalid verdict.</summary>
public sealed class RealisticReport() : RenderedReport(SampleRuns.Realistic(), SampleRuns.RealisticResults());

/// <summary>Three nodes, no faults, no failovers, no clock readings.</summary>
public sealed class QuietReport() : RenderedReport(SampleRuns.Quiet(), SampleRuns.QuietResults());
