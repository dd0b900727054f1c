using System.Text.Json.Nodes;

namespace Coup.Harness.Tests;

/// <summary>Reads how far a run has got from the history it is still writing.</summary>
internal static class HistoryTail
{
    /// <summary>The time of the newest whole line in <paramref name="path"/>, or 0 before there is one.</summary>
    public static long NewestTimeNs(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Seek(Math.Max(0, file.Length - 8192), SeekOrigin.Begin);
        var lines = new StreamReader(file).ReadToEnd().Split('\n');
        // The last piece may be a line still being written; the one before it is whole.
        return lines.Length < 3 ? 0 : JsonNode.Parse(lines[^2])?["time"]?.GetValue<long>() ?? 0;
    }
}
