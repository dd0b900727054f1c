namespace Coup.Harness.Tests;

/// <summary>Files of the repository the tests read (plans, schemas), found from the test's directory.</summary>
public static class RepoFiles
{
    public static string PathOf(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null;
            directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coup.slnx")))
            {
                return Path.Combine(directory.FullName, relative);
            }
        }
        throw new InvalidOperationException($"no Coup.slnx above {AppContext.BaseDirectory}");
    }
}
