using System.Buffers;
using System.Text.Json;

namespace Coup.History;

/// <summary>
/// Appends events to <c>history.jsonl</c>, one line each. By default each line goes to the OS as it is
/// appended, so that a killed controller loses nothing it recorded. A run that can be made again from its
/// seed (the simulator's) may hold lines back instead (<see cref="FlushesEachLine"/>): they go out in blocks,
/// and all of them on <see cref="Flush"/> and <see cref="Dispose"/>. Safe to call from many threads.
/// </summary>
public sealed class HistoryWriter : IDisposable
{
    /// <summary>How many bytes of lines are held back at most before they go out.</summary>
    private const int HeldBytesMax = 64 * 1024;

    private readonly FileStream _file;
    /// <summary>The line being written: it joins <see cref="_held"/> only once whole.</summary>
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    /// <summary>The lines not yet written to the file: one at a time, or up to <see cref="HeldBytesMax"/>.</summary>
    private readonly ArrayBufferWriter<byte> _held = new(HeldBytesMax + 4096);
    private readonly Utf8JsonWriter _json;
    private readonly EncodedTexts _texts = new();
    private readonly Lock _lock = new();
    private bool _ended;

    public HistoryWriter(string path)
    {
        Path = path;
        // Unbuffered: the lines are buffered here, and each write below is one write to the OS.
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        // The serializer's own writer settings for these options (its encoder, no indentation), so a line
        // written here has the bytes JsonSerializer.Serialize(event, HistoryJson.Options) would give it.
        _json = new Utf8JsonWriter(_line, new JsonWriterOptions
        {
            Encoder = HistoryJson.Options.Encoder,
            Indented = HistoryJson.Options.WriteIndented,
            SkipValidation = true,
        });
    }

    public string Path { get; }

    public int Count { get; private set; }

    /// <summary>
    /// True (the default): every line reaches the OS as it is appended. False: lines are held back, at most
    /// <see cref="HeldBytesMax"/> bytes of them, until then or <see cref="Flush"/>; set by a runtime whose run
    /// is made again exactly from its seed, where a line lost to a crash is not lost for good.
    /// </summary>
    public bool FlushesEachLine { get; set; } = true;

    public void Append(HistoryEvent historyEvent)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }
            // A line the serializer fails halfway through is not kept: the next starts afresh.
            _json.Reset();
            _line.ResetWrittenCount();
            // Every line ends in '\n' on every platform: the reader tells a torn last line by its missing newline.
            if (!CommonLines.TryWrite(_json, historyEvent, _texts))
            {
                JsonSerializer.Serialize(_json, historyEvent, HistoryJson.Options);
            }
            _json.Flush();
            _held.Write(_line.WrittenSpan);
            _held.Write("\n"u8);
            Count++;
            if (historyEvent is RunEnded)
            {
                _ended = true;
            }
            if (FlushesEachLine || _held.WrittenCount >= HeldBytesMax || _ended)
            {
                WriteOut();
            }
        }
    }

    /// <summary>Writes every line held back to the OS.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            WriteOut();
        }
    }

    private void WriteOut()
    {
        if (_held.WrittenCount == 0)
        {
            return;
        }
        _file.Write(_held.WrittenSpan);
        _held.ResetWrittenCount();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_ended && !_file.CanWrite)
            {
                return;
            }
            _ended = true;
            try
            {
                WriteOut();
            }
            finally
            {
                _json.Dispose();
                _file.Dispose();
            }
        }
    }
}
