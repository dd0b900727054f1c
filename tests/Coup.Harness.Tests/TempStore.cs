namespace Coup.Harness.Tests;

/// <summary>A run store in a temporary directory, removed after the test.</summary>
public sealed class TempStore : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("coup-test-").FullName;

    public string Latest => Path.Combine(Root, "latest");

    public string LatestFile(string name) => Path.Combine(Latest, name);

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
