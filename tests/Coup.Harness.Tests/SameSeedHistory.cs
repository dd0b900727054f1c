using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Coup.Harness.Tests;

/// <summary>
/// What two simulator runs of one seed must agree on: every line after run-start, with each node's wall
/// clock (Unix ms, so it carries the run's real start time) read relative to the run's start.
/// </summary>
public static partial class SameSeedHistory
{
    public static IReadOnlyList<string> Lines(string historyPath)
    {
        var lines = File.ReadLines(historyPath).ToList();
        using var start = JsonDocument.Parse(lines[0]);
        var startedAtMs = DateTimeOffset.Parse(start.RootElement.GetProperty("startedAt").GetString()!,
            CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        return lines.Skip(1).Select(line => NodeWall().Replace(line, m =>
            $"\"nodeWallMs\":{long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - startedAtMs}")).ToList();
    }

    [GeneratedRegex("\"nodeWallMs\":(-?[0-9]+)")]
    private static partial Regex NodeWall();
}
