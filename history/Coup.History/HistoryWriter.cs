using System.Text;
using System.Text.Json;

namespace Coup.History;

/// <summary>
/// Appends events to <c>history.jsonl</c>, one line each, flushed to the OS as it goes so that a
/// killed controller loses nothing it recorded. Safe to call from many threads.
/// </summary>
public sealed class HistoryWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();
    private bool _ended;

    public HistoryWriter(string path)
    {
        Path = path;
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        // Every line ends in '\n' on every platform: the reader tells a torn last line by its missing newline.
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    public string Path { get; }

    public int Count { get; private set; }

    public void Append(HistoryEvent historyEvent)
    {
        var line = JsonSerializer.Serialize(historyEvent, HistoryJson.Options);
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }
            _writer.WriteLine(line);
            Count++;
            if (historyEvent is RunEnded)
            {
                _ended = true;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _ended = true;
            _writer.Dispose();
        }
    }
}
