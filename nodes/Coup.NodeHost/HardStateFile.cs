using System.Text.Json;
using Coup.Nodes;

namespace Coup.NodeHost;

/// <summary>
/// currentTerm and votedFor on disk: written to a temporary file, synced, renamed over the old one,
/// and the directory synced, so the rename itself survives a power loss (a synced file whose new
/// name lives only in the page cache can come back as the old state after a crash).
/// </summary>
public sealed class HardStateFile(string directory, IDurableDisk disk)
{
    private readonly string _path = Path.Combine(directory, "hardstate.json");

    public HardStateFile(string directory)
        : this(directory, new LocalDisk())
    {
    }

    public HardState Load()
    {
        Directory.CreateDirectory(directory);
        return File.Exists(_path)
            ? JsonSerializer.Deserialize(File.ReadAllText(_path), Wire.Types.HardState) ?? HardState.Empty
            : HardState.Empty;
    }

    public void Save(HardState state)
    {
        var temporary = _path + ".tmp";
        disk.Write(temporary, JsonSerializer.SerializeToUtf8Bytes(state, Wire.Types.HardState));
        disk.SyncFile(temporary);
        disk.Rename(temporary, _path);
        disk.SyncDirectory(directory);
    }
}
