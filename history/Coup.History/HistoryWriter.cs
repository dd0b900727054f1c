using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;

namespace Coup.History;

/// <summary>
/// Appends events to <c>history.jsonl</c>, one line each. By default each line goes to the OS as it is
/// appended, so that a killed controller loses nothing it recorded. A run that can be made again from its
/// seed (the simulator's) may hold lines back instead (<see cref="FlushesEachLine"/>): a thread of the writer's
/// own then turns the events into lines and writes them in blocks, all of them on <see cref="Flush"/> and
/// <see cref="Dispose"/>. Safe to call from many threads.
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
    /// <summary>Held by whoever appends: the order of the events.</summary>
    private readonly Lock _lock = new();
    /// <summary>Held by whoever turns events into lines and writes them: an appender, or <see cref="_lineThread"/>.
    /// Taken inside <see cref="_lock"/>, never the other way round.</summary>
    private readonly Lock _writeLock = new();
    private bool _ended;
    /// <summary>The thread that writes the lines held back, while <see cref="FlushesEachLine"/> is false.</summary>
    private LineThread? _lineThread;

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
    /// True (the default): every line reaches the OS as it is appended. False: events are handed to a thread of
    /// the writer's own, which writes their lines in blocks of up to <see cref="HeldBytesMax"/> bytes, and all of
    /// them on <see cref="Flush"/>; set by a runtime whose run is made again exactly from its seed, where a line
    /// lost to a crash is not lost for good, and which then spends no time of its own on the lines.
    /// </summary>
    public bool FlushesEachLine
    {
        get => _lineThread is null;
        set
        {
            lock (_lock)
            {
                if (value && _lineThread is { } lines)
                {
                    _lineThread = null;
                    lines.Stop();
                    WriteOutNow();
                }
                else if (!value && _lineThread is null && !_ended)
                {
                    _lineThread = new LineThread(this);
                }
            }
        }
    }

    public void Append(HistoryEvent historyEvent)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }
            if (_lineThread is { } lines)
            {
                lines.Add(historyEvent);
            }
            else
            {
                lock (_writeLock)
                {
                    WriteLine(historyEvent);
                    WriteOut();
                }
            }
            Count++;
            if (historyEvent is RunEnded)
            {
                _ended = true;
                _lineThread?.Flush();
            }
        }
    }

    /// <summary>Writes every line held back to the OS.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_lineThread is { } lines)
            {
                lines.Flush();
                return;
            }
            WriteOutNow();
        }
    }

    /// <summary>Turns the event into its line, held back in <see cref="_held"/>; under <see cref="_writeLock"/>.
    /// </summary>
    private void WriteLine(HistoryEvent historyEvent)
    {
        // A line the serializer fails halfway through is not kept: the next starts afresh.
        _json.Reset();
        _line.ResetWrittenCount();
        if (!CommonLines.TryWrite(_json, historyEvent, _texts))
        {
            JsonSerializer.Serialize(_json, historyEvent, HistoryJson.Options);
        }
        _json.Flush();
        // Every line ends in '\n' on every platform: the reader tells a torn last line by its missing newline.
        _held.Write(_line.WrittenSpan);
        _held.Write("\n"u8);
    }

    private void WriteOutNow()
    {
        lock (_writeLock)
        {
            WriteOut();
        }
    }

    /// <summary>Writes the lines held back to the file; under <see cref="_writeLock"/>.</summary>
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
                var lines = _lineThread;
                _lineThread = null;
                lines?.Stop();
                WriteOutNow();
            }
            finally
            {
                _json.Dispose();
                _file.Dispose();
            }
        }
    }

    /// <summary>
    /// The thread that turns the events held back into lines and writes them: the appender only adds each event
    /// to a batch and hands a full batch over. At most <see cref="BatchesWaitingMax"/> batches wait, so memory
    /// stays bounded however far the thread falls behind: the appender then waits for it. A failure on the thread
    /// (a full disk) is thrown to the next appender or flush.
    /// </summary>
    private sealed class LineThread
    {
        private const int BatchEvents = 1024;
        private const int BatchesWaitingMax = 8;

        private readonly HistoryWriter _writer;
        private readonly BlockingCollection<Batch> _batches = new(BatchesWaitingMax);
        /// <summary>Batches written, ready to take events again.</summary>
        private readonly ConcurrentQueue<List<HistoryEvent>> _spares = new();
        private readonly Thread _thread;
        private List<HistoryEvent> _adding = new(BatchEvents);
        private volatile ExceptionDispatchInfo? _failure;
        private bool _failureThrown;

        public LineThread(HistoryWriter writer)
        {
            _writer = writer;
            _thread = new Thread(WriteBatches) { IsBackground = true, Name = "history lines" };
            _thread.Start();
        }

        public void Add(HistoryEvent historyEvent)
        {
            ThrowIfFailed();
            _adding.Add(historyEvent);
            if (_adding.Count == BatchEvents)
            {
                HandOver(written: null);
            }
        }

        /// <summary>Returns once every event added so far is in the file.</summary>
        public void Flush()
        {
            WaitWritten();
            ThrowIfFailed();
        }

        /// <summary>Writes what was added and ends the thread; a failure no one was told of yet is thrown.</summary>
        public void Stop()
        {
            WaitWritten();
            _batches.CompleteAdding();
            _thread.Join();
            if (!_failureThrown)
            {
                ThrowIfFailed();
            }
        }

        private void WaitWritten()
        {
            using var written = new ManualResetEventSlim();
            HandOver(written);
            written.Wait();
        }

        private void ThrowIfFailed()
        {
            if (_failure is { } failure)
            {
                _failureThrown = true;
                failure.Throw();
            }
        }

        private void HandOver(ManualResetEventSlim? written)
        {
            _batches.Add(new Batch(_adding, written));
            _adding = _spares.TryDequeue(out var spare) ? spare : new List<HistoryEvent>(BatchEvents);
        }

        private void WriteBatches()
        {
            foreach (var batch in _batches.GetConsumingEnumerable())
            {
                // After a failure nothing more is written: the file ends where the history stopped being whole.
                if (_failure is null)
                {
                    lock (_writer._writeLock)
                    {
                        Write(batch);
                    }
                }
                batch.Events.Clear();
                _spares.Enqueue(batch.Events);
                batch.Written?.Set();
            }
        }

        /// <summary>Turns the batch into lines and writes them out once a block is full, and all of them when the
        /// batch asks for it; under <see cref="_writeLock"/>.</summary>
        private void Write(Batch batch)
        {
            foreach (var historyEvent in batch.Events)
            {
                try
                {
                    _writer.WriteLine(historyEvent);
                }
                catch (Exception failure)
                {
                    // The lines held before it are whole and not in the file yet: they go out, nothing after them.
                    Fail(failure);
                    WriteOut();
                    return;
                }
                if (_writer._held.WrittenCount >= HeldBytesMax && !WriteOut())
                {
                    return;
                }
            }
            if (batch.Written is not null)
            {
                WriteOut();
            }
        }

        /// <summary>
        /// Writes the lines held back; a file that refuses them fails the writer, and they are dropped: the file
        /// may hold part of them already, and writing them again would repeat that part.
        /// </summary>
        private bool WriteOut()
        {
            try
            {
                _writer.WriteOut();
                return true;
            }
            catch (Exception failure)
            {
                Fail(failure);
                _writer._held.ResetWrittenCount();
                return false;
            }
        }

        private void Fail(Exception failure) => _failure ??= ExceptionDispatchInfo.Capture(failure);

        private readonly record struct Batch(List<HistoryEvent> Events, ManualResetEventSlim? Written);
    }
}
