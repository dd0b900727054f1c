namespace Coup.History;

/// <summary>A history that could not be read; the message names the line and what is wrong.</summary>
public sealed class HistoryFormatException(string message) : Exception(message);

/// <summary>A whole saved history: the run it describes and every event in time order.</summary>
public sealed record RunHistory
{
    public required RunStarted Run { get; init; }
    public required IReadOnlyList<HistoryEvent> Events { get; init; }
    /// <summary>Null when the history was cut short (no <c>run-end</c> line).</summary>
    public RunEnded? End { get; init; }

    public IEnumerable<StateObserved> States => Events.OfType<StateObserved>();
    public IEnumerable<ClientOp> Ops => Events.OfType<ClientOp>();
    public IEnumerable<FaultEvent> Faults => Events.OfType<FaultEvent>();
    /// <summary>
    /// Each fault start with the stop that ended it (null: never stopped), in the order they started,
    /// paired by the rule the reader checks (<see cref="FaultPairing"/>).
    /// </summary>
    public IReadOnlyList<FaultSpan> FaultSpans => FaultPairing.Pair(Faults);
    public long EndNs => End?.TimeNs ?? (Events.Count == 0 ? 0 : Events[^1].TimeNs);

    /// <summary>
    /// The number of the last line when it was torn: it has no newline at its end and is not JSON,
    /// which is what a harness killed while writing it leaves. The rest was read; <see cref="End"/> is null.
    /// </summary>
    public int? TornLine { get; init; }

    /// <summary>Reads <c>history.jsonl</c>; a line that breaks a rule (docs/history.md) throws, naming it.</summary>
    public static RunHistory Read(string path)
    {
        using var reader = HistoryReader.Open(path);
        var events = new List<HistoryEvent>();
        while (reader.TryRead(out var historyEvent))
        {
            events.Add(historyEvent);
        }
        return Of(events, reader.TornLine);
    }

    /// <summary>Reads a history from its UTF-8 bytes; <paramref name="source"/> names it in errors.</summary>
    public static RunHistory Parse(ReadOnlySpan<byte> utf8, string source)
    {
        var lines = new HistoryLines(source);
        var events = new List<HistoryEvent>();
        for (var rest = utf8; !rest.IsEmpty;)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            if (lines.Read(line, endsWithNewline: newline >= 0) is { } historyEvent)
            {
                events.Add(historyEvent);
            }
        }
        lines.Finish();
        return Of(events, lines.TornLine);
    }

    private static RunHistory Of(List<HistoryEvent> events, int? tornLine) => new()
    {
        Run = (RunStarted)events[0],
        Events = events,
        End = events[^1] as RunEnded,
        TornLine = tornLine,
    };
}
