using System.Text.Json;

namespace Coup.Checkers.History;

/// <summary>A history that could not be read; the message names the line and what is wrong.</summary>
public sealed class HistoryFormatException(string message) : Exception(message);

/// <summary>A whole saved history: the run it describes and every event in time order.</summary>
public sealed record History
{
    public required RunStarted Run { get; init; }
    public required IReadOnlyList<HistoryEvent> Events { get; init; }
    /// <summary>Null when the history was cut short (no <c>run-end</c> line).</summary>
    public RunEnded? End { get; init; }

    public IEnumerable<StateObserved> States => Events.OfType<StateObserved>();
    public IEnumerable<ClientOp> Ops => Events.OfType<ClientOp>();
    public IEnumerable<FaultEvent> Faults => Events.OfType<FaultEvent>();
    public long EndNs => End?.TimeNs ?? (Events.Count == 0 ? 0 : Events[^1].TimeNs);

    /// <summary>Reads <c>history.jsonl</c>; a malformed line throws with its number.</summary>
    public static History Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new HistoryFormatException($"{path}: no such file; pass a run directory that holds history.jsonl");
        }
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static History Parse(TextReader reader, string source)
    {
        var events = new List<HistoryEvent>();
        RunStarted? run = null;
        RunEnded? end = null;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            if (end is not null)
            {
                throw new HistoryFormatException($"{source}:{lineNumber}: event after run-end; the history is corrupt");
            }
            var historyEvent = ParseLine(line, source, lineNumber);
            if (events.Count > 0 && historyEvent.TimeNs < events[^1].TimeNs)
            {
                throw new HistoryFormatException($"{source}:{lineNumber}: time {historyEvent.TimeNs} goes backwards; the history is corrupt");
            }
            switch (historyEvent)
            {
                case RunStarted started when lineNumber == 1:
                    run = started;
                    break;
                case RunStarted:
                    throw new HistoryFormatException($"{source}:{lineNumber}: a second run-start; the history is corrupt");
                case RunEnded ended:
                    end = ended;
                    break;
            }
            if (run is null)
            {
                throw new HistoryFormatException($"{source}:{lineNumber}: the first line must be run-start");
            }
            events.Add(historyEvent);
        }
        if (run is null)
        {
            throw new HistoryFormatException($"{source}: empty history; nothing was recorded");
        }
        return new History { Run = run, Events = events, End = end };
    }

    private static HistoryEvent ParseLine(string line, string source, int lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize<HistoryEvent>(line, HistoryJson.Options)
                ?? throw new HistoryFormatException($"{source}:{lineNumber}: null event");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new HistoryFormatException($"{source}:{lineNumber}: not a history event ({HistoryJson.Reason(e)})");
        }
    }
}
