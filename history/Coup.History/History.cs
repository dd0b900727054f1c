using System.Text;
using System.Text.Json;

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
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HistoryFormatException($"{path}: no such file; pass a run directory that holds history.jsonl");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HistoryFormatException($"{path}: cannot be read ({e.Message})");
        }
        return Parse(bytes, path);
    }

    /// <summary>Reads a history from its UTF-8 bytes; <paramref name="source"/> names it in errors.</summary>
    public static RunHistory Parse(ReadOnlySpan<byte> utf8, string source)
    {
        var rules = new HistoryRules();
        var events = new List<HistoryEvent>();
        int? tornLine = null;
        var lineNumber = 0;
        for (var rest = utf8; !rest.IsEmpty;)
        {
            lineNumber++;
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }
            if (!TryParseJson(line, out var json, out var problem))
            {
                // Only the last line can be torn, and only while the run was still being recorded.
                if (newline < 0 && events.Count > 0 && events[^1] is not RunEnded)
                {
                    tornLine = lineNumber;
                    break;
                }
                throw new HistoryFormatException($"{source}:{lineNumber}: {problem}");
            }
            var historyEvent = ToEvent(json, source, lineNumber);
            if (rules.Problem(historyEvent, lineNumber) is { } broken)
            {
                throw new HistoryFormatException($"{source}:{lineNumber}: {broken}");
            }
            events.Add(historyEvent);
        }
        if (events.Count == 0)
        {
            throw new HistoryFormatException($"{source}:1: empty history; expected a run-start line");
        }
        return new RunHistory
        {
            Run = (RunStarted)events[0],
            Events = events,
            End = events[^1] as RunEnded,
            TornLine = tornLine,
        };
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Decodes and parses one line; false with the reason when it is not UTF-8 or not JSON.</summary>
    private static bool TryParseJson(ReadOnlySpan<byte> line, out JsonElement json, out string problem)
    {
        json = default;
        try
        {
            StrictUtf8.GetCharCount(line);
        }
        catch (DecoderFallbackException e)
        {
            problem = $"invalid UTF-8 at byte {e.Index + 1} of the line; expected UTF-8 text";
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            json = document.RootElement.Clone();
            problem = "";
            return true;
        }
        catch (JsonException e)
        {
            var at = e.BytePositionInLine + 1;
            problem = $"not JSON ({HistoryJson.Reason(e)} at byte {at}); expected one JSON object per line";
            return false;
        }
    }

    private static HistoryEvent ToEvent(JsonElement json, string source, int lineNumber)
    {
        try
        {
            if (EventShape.Problem(json) is { } problem)
            {
                throw new HistoryFormatException($"{source}:{lineNumber}: {problem}");
            }
            return json.Deserialize<HistoryEvent>(HistoryJson.Options)
                ?? throw new HistoryFormatException($"{source}:{lineNumber}: null event");
        }
        // Text that is not valid UTF-16 once unescaped: half a surrogate pair in a \u escape.
        catch (Exception e) when (e is InvalidOperationException || e.InnerException is InvalidOperationException)
        {
            throw new HistoryFormatException(
                $"{source}:{lineNumber}: not a history event: a \\u escape holds half a surrogate pair; expected text");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new HistoryFormatException($"{source}:{lineNumber}: not a history event ({HistoryJson.Reason(e)})");
        }
    }
}
