using Coup.Checkers;
using Coup.Reports.Matrix;

namespace Coup.Harness.Tests;

/// <summary>
/// <c>coup run</c> rewrites the store's index.html after the run; the index is a convenience, so a store
/// where it cannot be written costs one warning line, never the run's exit code.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RunIndexTests : IDisposable
{
    private readonly TempStore _store = new();

    [Fact]
    public async Task An_index_that_cannot_be_written_is_one_warning_and_the_run_keeps_its_exit_code()
    {
        // A directory where index.html goes: writing the file fails, as on a full or read-only disk.
        var index = Directory.CreateDirectory(Path.Combine(_store.Root, StoreIndex.FileName)).FullName;

        var result = await Invocation.Of(["run", "--runtime", "sim", "--algorithm", "raft-forgets-vote",
            "--nemesis", "amnesia", "--time-limit", "40", "--interval", "5", "--seed", "1", "--store", _store.Root]);

        var results = ResultsFile.Read(_store.LatestFile("results.json"));
        Assert.Equal((Verdict.Invalid, 1), (results.Verdict, result.Exit));
        var warning = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"coup: warning: {index} was not rewritten (", warning);
        Assert.EndsWith("); the run itself is stored", warning.TrimEnd('\r'));
        Assert.Contains("verdict: invalid", result.Out);
    }

    public void Dispose() => _store.Dispose();
}
