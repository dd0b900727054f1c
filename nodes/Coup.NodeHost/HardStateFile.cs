using System.Text.Json;
using Coup.Nodes;

namespace Coup.NodeHost;

/// <summary>currentTerm and votedFor on disk: written to a temporary file, synced, then renamed.</summary>
public sealed class HardStateFile(string directory)
{
    private readonly string _path = Path.Combine(directory, "hardstate.json");

    public HardState Load()
    {
        Directory.CreateDirectory(directory);
        return File.Exists(_path) ? JsonSerializer.Deserialize<HardState>(File.ReadAllText(_path), Wire.Json) ?? HardState.Empty : HardState.Empty;
    }

    public void Save(HardState state)
    {
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, state, Wire.Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }
}
