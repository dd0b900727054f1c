using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Coup.History;

/// <summary>
/// Reads <c>history.jsonl</c> one event at a time, holding one buffer of lines and never the events
/// read before: what a checker that streams needs. Every line is checked as <see cref="RunHistory.Read"/>
/// checks it (docs/history.md); a line that breaks a rule throws, naming it.
/// </summary>
public sealed class HistoryReader : IDisposable
{
    private const int BufferBytesMin = 1 << 20;
    /// <summary>How far <see cref="ReadAhead"/> may read ahead: batches of events, and how many wait at
    /// most.</summary>
    private const int BatchEvents = 4096;
    private const int BatchesAheadMax = 4;

    private readonly Stream _stream;
    private readonly HistoryLines _lines;
    private byte[] _buffer = new byte[BufferBytesMin];
    private int _start;
    private int _end;
    private bool _streamEnded;

    public HistoryReader(Stream stream, string source)
    {
        _stream = stream;
        _lines = new HistoryLines(source);
    }

    /// <summary>Opens the history at <paramref name="path"/>; a missing or unreadable file throws, saying
    /// so.</summary>
    public static HistoryReader Open(string path)
    {
        try
        {
            var options = new FileStreamOptions { BufferSize = 0, Options = FileOptions.SequentialScan };
            return new HistoryReader(new FileStream(path, options), path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HistoryFormatException($"{path}: no such file; pass a run directory that holds history.jsonl");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HistoryFormatException($"{path}: cannot be read ({e.Message})");
        }
    }

    /// <summary>The number of the torn last line, once read up to it (see
    /// <see cref="RunHistory.TornLine"/>).</summary>
    public int? TornLine => _lines.TornLine;

    /// <summary>The next event, or false at the end of the history.</summary>
    public bool TryRead([NotNullWhen(true)] out HistoryEvent? historyEvent)
    {
        while (NextLine(out var line, out var endsWithNewline))
        {
            if (_lines.Read(_buffer.AsSpan(line.Start, line.Length), endsWithNewline) is { } read)
            {
                historyEvent = read;
                return true;
            }
        }
        _lines.Finish();
        historyEvent = null;
        return false;
    }

    /// <summary>
    /// Every event, read on another thread at most a few batches ahead of the caller, so that reading and
    /// what the caller does with each event share two cores. A line that breaks a rule throws here once
    /// the events before it were handed on, as <see cref="TryRead"/> would.
    /// </summary>
    public IEnumerable<HistoryEvent> ReadAhead()
    {
        using var batches = new BlockingCollection<HistoryEvent[]>(BatchesAheadMax);
        using var stop = new CancellationTokenSource();
        Exception? thrown = null;
        var reading = Task.Run(() =>
        {
            try
            {
                var batch = new List<HistoryEvent>(BatchEvents);
                while (TryRead(out var historyEvent))
                {
                    batch.Add(historyEvent);
                    if (batch.Count == BatchEvents)
                    {
                        batches.Add([.. batch], stop.Token);
                        batch.Clear();
                    }
                }
                batches.Add([.. batch], stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                thrown = e;
            }
            finally
            {
                batches.CompleteAdding();
            }
        }, CancellationToken.None);
        try
        {
            foreach (var batch in batches.GetConsumingEnumerable())
            {
                foreach (var historyEvent in batch)
                {
                    yield return historyEvent;
                }
            }
        }
        finally
        {
            // The caller may stop early: let the reading thread end rather than wait on a full queue.
            stop.Cancel();
            reading.Wait(CancellationToken.None);
        }
        if (thrown is not null)
        {
            ExceptionDispatchInfo.Throw(thrown);
        }
    }

    /// <summary>The start and length in <see cref="_buffer"/> of the next line, without its newline.</summary>
    private bool NextLine(out (int Start, int Length) line, out bool endsWithNewline)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = (_start, newline);
                _start += newline + 1;
                endsWithNewline = true;
                return true;
            }
            if (_streamEnded)
            {
                line = (_start, _end - _start);
                _start = _end;
                endsWithNewline = false;
                return line.Length > 0;
            }
            Fill();
        }
    }

    /// <summary>Moves the unread part to the front, grows the buffer if a line fills it, and reads more.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _streamEnded = read == 0;
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>
/// The reader's rules applied line after line: each line's JSON and shape, then the rules between
/// lines (<see cref="HistoryRules"/>). Shared by the streaming reader and <see cref="RunHistory.Parse"/>.
/// </summary>
internal sealed class HistoryLines(string source)
{
    private readonly HistoryRules _rules = new();
    private readonly CommonLines _common = new();
    private HistoryEvent? _last;
    private int _lineNumber;
    private bool _torn;

    public int? TornLine { get; private set; }

    /// <summary>
    /// The event on the next line, or null for a blank line or a torn last line; a line that breaks a
    /// rule throws. <paramref name="endsWithNewline"/>: false only for a last line with no newline.
    /// </summary>
    public HistoryEvent? Read(ReadOnlySpan<byte> line, bool endsWithNewline)
    {
        _lineNumber++;
        if (line.IsEmpty || _torn)
        {
            return null;
        }
        var historyEvent = Utf8.IsValid(line) && _common.TryRead(line, out var common)
            ? common
            : ReadInFull(line, endsWithNewline);
        if (historyEvent is null)
        {
            return null;
        }
        if (_rules.Problem(historyEvent, _lineNumber) is { } broken)
        {
            throw new HistoryFormatException($"{source}:{_lineNumber}: {broken}");
        }
        _last = historyEvent;
        return historyEvent;
    }

    /// <summary>Checks the end of the history: it holds at least the run-start.</summary>
    public void Finish()
    {
        if (_last is null)
        {
            throw new HistoryFormatException($"{source}:1: empty history; expected a run-start line");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>The full reader: JSON, then the shape of an event, then the serializer; null for a torn
    /// line.</summary>
    private HistoryEvent? ReadInFull(ReadOnlySpan<byte> line, bool endsWithNewline)
    {
        string problem;
        try
        {
            StrictUtf8.GetCharCount(line);
            using var document = JsonDocument.Parse(line.ToArray());
            return ToEvent(document.RootElement);
        }
        catch (DecoderFallbackException e)
        {
            problem = $"invalid UTF-8 at byte {e.Index + 1} of the line; expected UTF-8 text";
        }
        catch (JsonException e)
        {
            var at = e.BytePositionInLine + 1;
            problem = $"not JSON ({HistoryJson.Reason(e)} at byte {at}); expected one JSON object per line";
        }
        // Only the last line can be torn, and only while the run was still being recorded.
        if (!endsWithNewline && _last is not (null or RunEnded))
        {
            _torn = true;
            TornLine = _lineNumber;
            return null;
        }
        throw new HistoryFormatException($"{source}:{_lineNumber}: {problem}");
    }

    private HistoryEvent ToEvent(JsonElement json)
    {
        try
        {
            if (EventShape.Problem(json) is { } problem)
            {
                throw new HistoryFormatException($"{source}:{_lineNumber}: {problem}");
            }
            return json.Deserialize<HistoryEvent>(HistoryJson.Options)
                ?? throw new HistoryFormatException($"{source}:{_lineNumber}: null event");
        }
        // Text that is not valid UTF-16 once unescaped: half a surrogate pair in a \u escape.
        catch (Exception e) when (e is InvalidOperationException || e.InnerException is InvalidOperationException)
        {
            throw new HistoryFormatException(
                $"{source}:{_lineNumber}"
                    + $": not a history event: a \\u escape holds half a surrogate pair; expected text");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new HistoryFormatException($"{source}:{_lineNumber}: not a history event ({HistoryJson.Reason(e)})");
        }
    }
}
