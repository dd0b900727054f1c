using System.Text.Json;
using Coup.History;

namespace Coup.Harness.Run;

/// <summary>
/// <c>store/&lt;test&gt;/&lt;start-time&gt;/</c> with the history, plan, results, report and node logs;
/// <c>store/latest</c> points at the newest run.
/// </summary>
public sealed class RunStore
{
    public const string HistoryFile = "history.jsonl";
    public const string PlanFile = "plan.json";
    public const string ResultsFile = "results.json";
    /// <summary>Where runs go without <c>--store</c>, and crashes outside a run (<c>store/crashes/</c>).</summary>
    public const string DefaultRoot = "store";

    private RunStore(string directory) => Directory = directory;

    public string Directory { get; }
    public string HistoryPath => Path.Combine(Directory, HistoryFile);
    public string NodeLogDirectory(string node) =>
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "nodes", node)).FullName;

    /// <summary>
    /// The test's name as a directory: a target such as <c>partition-one-way-in:leader</c> keeps its
    /// meaning with <c>@</c> for the colon, which GitHub's upload-artifact refuses in a path (and
    /// Windows in a file name). The test name itself stays as typed, in the history and the report.
    /// </summary>
    public static string DirectoryName(string testName) => testName.Replace(':', '@');

    public static RunStore Create(RunPlan plan, DateTimeOffset startedAt)
    {
        var root = Path.GetFullPath(plan.Store);
        var stamp = startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'");
        var directory = Path.Combine(root, DirectoryName(plan.TestName), stamp);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            WritePlan(directory, plan);
            PointLatestAt(root, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CoupException.Environment(
                $"cannot write the run store at {root}: {e.Message}"
                    + $"; pass --store with a writable directory", e);
        }
        return new RunStore(directory);
    }

    /// <summary><c>plan.json</c>: everything needed to run it again, seed included.</summary>
    public static void WritePlan(string directory, RunPlan plan) =>
        File.WriteAllText(Path.Combine(directory, PlanFile), JsonSerializer.Serialize(plan, HistoryJson.Indented));

    private static void PointLatestAt(string root, string directory)
    {
        var latest = Path.Combine(root, "latest");
        if (new FileInfo(latest).LinkTarget is not null)
        {
            File.Delete(latest);
        }
        System.IO.Directory.CreateSymbolicLink(latest, Path.GetRelativePath(root, directory));
    }
}
