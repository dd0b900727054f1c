using System.Globalization;
using System.Text;
using System.Text.Json;
using Coup.Checkers;

namespace Coup.Reports.Matrix;

/// <summary>A run directory found in a store, as the index lists it.</summary>
public sealed record StoredRun
{
    /// <summary>Relative to the store root, with <c>/</c> separators (a link from index.html).</summary>
    public required string Directory { get; init; }
    public required string Test { get; init; }
    public int? Seed { get; init; }
    public string? Runtime { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>The history's last recorded time; null when the history is missing or unreadable.</summary>
    public double? DurationS { get; init; }
    /// <summary>Null when the run has no results.json yet (still running, or checking failed).</summary>
    public Verdict? Verdict { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
}

/// <summary>
/// Finds the runs in a store: every directory that holds a <c>plan.json</c>, at most
/// <see cref="DepthMax"/> levels down (a store is <c>&lt;test&gt;/&lt;time&gt;/</c>, a matrix store may
/// nest one level more). Symbolic links (<c>latest</c>) and <c>nights/</c> are not followed. Reads only
/// each history's first line and its tail, so a store of long runs is listed quickly.
/// </summary>
public static class StoredRuns
{
    public const int DepthMax = 4;
    public const string NightsDirectory = "nights";
    private const int TailBytes = 64 * 1024;

    /// <summary>The files a run directory may hold that the index links to, in the order it shows them.</summary>
    public static readonly IReadOnlyList<string> LinkedFiles =
        [Report.HtmlFile, "results.json", Report.JUnitFile, "history.jsonl", "plan.json"];

    public static IReadOnlyList<StoredRun> Find(string storeRoot)
    {
        var runs = new List<StoredRun>();
        Walk(new DirectoryInfo(storeRoot), storeRoot, 0, runs);
        return runs.OrderByDescending(r => r.StartedAt ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Directory, StringComparer.Ordinal).ToList();
    }

    private static void Walk(DirectoryInfo directory, string storeRoot, int depth, List<StoredRun> runs)
    {
        if (File.Exists(Path.Combine(directory.FullName, "plan.json")))
        {
            runs.Add(Read(directory.FullName, storeRoot));
            return;
        }
        if (depth >= DepthMax)
        {
            return;
        }
        foreach (var child in directory.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (child.LinkTarget is null && !(depth == 0 && child.Name == NightsDirectory))
            {
                Walk(child, storeRoot, depth + 1, runs);
            }
        }
    }

    private static StoredRun Read(string directory, string storeRoot)
    {
        var relative = Path.GetRelativePath(storeRoot, directory).Replace('\\', '/');
        var history = Path.Combine(directory, "history.jsonl");
        var start = FirstLine(history);
        return new StoredRun
        {
            Directory = relative,
            Test = start?.Test ?? Path.GetFileName(Path.GetDirectoryName(directory)) ?? relative,
            Seed = start?.Seed,
            Runtime = start?.Runtime,
            StartedAt = start?.StartedAt,
            DurationS = LastTimeNs(history) / 1e9,
            Verdict = ReadVerdict(Path.Combine(directory, "results.json")),
            Files = LinkedFiles.Where(f => File.Exists(Path.Combine(directory, f))).ToList(),
        };
    }

    private sealed record RunStart(string? Test, int? Seed, string? Runtime, DateTimeOffset? StartedAt);

    private static RunStart? FirstLine(string history)
    {
        try
        {
            using var reader = new StreamReader(history);
            using var line = JsonDocument.Parse(reader.ReadLine() ?? "");
            var root = line.RootElement;
            string? Text(string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            int? seed = root.TryGetProperty("seed", out var s) && s.TryGetInt32(out var n) ? n : null;
            DateTimeOffset? started = DateTimeOffset.TryParse(
                Text("startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
            return Text("type") == "run-start" ? new RunStart(Text("test"), seed, Text("runtime"), started) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The <c>time</c> of the history's last whole line, read from the file's tail.</summary>
    private static long? LastTimeNs(string history)
    {
        try
        {
            using var stream = File.OpenRead(history);
            stream.Seek(Math.Max(0, stream.Length - TailBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // The last line may be torn (a harness killed while writing); the one before it is whole.
            foreach (var line in lines.Reverse().Take(2))
            {
                try
                {
                    using var parsed = JsonDocument.Parse(line);
                    if (parsed.RootElement.TryGetProperty("time", out var time) && time.TryGetInt64(out var ns))
                    {
                        return ns;
                    }
                }
                catch (JsonException)
                {
                    continue;
                }
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Verdict? ReadVerdict(string resultsPath)
    {
        try
        {
            return File.Exists(resultsPath) ? ResultsFile.Read(resultsPath).Verdict : null;
        }
        catch (Exception e) when (e is IOException or Coup.History.HistoryFormatException
            or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
