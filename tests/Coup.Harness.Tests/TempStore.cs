namespace Coup.Harness.Tests;

/// <summary>A run store in a temporary directory, removed after the test.</summary>
public sealed class TempStore : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("coup-test-").FullName;

    public string Latest => Path.Combine(Root, "latest");

    public string LatestFile(string name) => Path.Combine(Latest, name);

    /// <summary>Asserts the latest run exited 0, naming each checker's verdict if not; returns its results.</summary>
    public Coup.Checkers.Results AssertValid(int exit)
    {
        var results = Coup.Checkers.ResultsFile.Read(LatestFile("results.json"));
        Assert.True(
            exit == 0,
            $"exit {exit}: {string.Join("; ", results.Checks.Select(c => $"{c.Checker} {c.Verdict} {c.Summary}"))}");
        return results;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
