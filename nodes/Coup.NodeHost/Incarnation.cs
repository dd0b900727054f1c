using System.Globalization;

namespace Coup.NodeHost;

/// <summary>
/// Counts the node's boots in its data directory, which a restart keeps: the first boot is 1, as
/// in the simulator, so a node's random source at each boot is the same in both runtimes.
/// </summary>
public static class Incarnation
{
    public const string FileName = "incarnation";

    /// <summary>This boot's number, recorded before it is returned.</summary>
    public static int Next(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        var previous = File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None,
            CultureInfo.InvariantCulture, out var boots) ? boots : 0;
        var next = previous + 1;
        File.WriteAllText(path + ".tmp", next.ToString(CultureInfo.InvariantCulture));
        File.Move(path + ".tmp", path, overwrite: true);
        return next;
    }
}
