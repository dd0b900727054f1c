using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text.Json;

namespace Coup.History;

/// <summary>
/// The two kinds of line that make up almost every history, <c>state</c> and <c>op</c>, read and written
/// straight as bytes. Reading takes them in one pass when they have the plainest shape: every key known and
/// given once, every value of its field's kind, no escapes. Anything else (another type, an unknown key, a
/// missing field, a value of the wrong kind) is left to the full reader (<see cref="EventShape"/> and the
/// serializer), which reads it the slow way and says what is wrong, so the shape rules and their messages
/// stay in one place. This only accepts lines that the full reader reads to the same event, and only writes
/// the bytes the serializer would (its key order, nulls left out, its escapes).
/// </summary>
internal sealed class CommonLines
{
    public const string StateType = "state";
    public const string OpType = "op";

    /// <summary>Names, roles, phases and errors repeat on every line; each is kept as one string.</summary>
    private readonly InternedStrings _strings = new();

    [Flags]
    private enum Key
    {
        None = 0, Type = 1, Time = 1 << 1, Node = 1 << 2, Role = 1 << 3, Term = 1 << 4, Leader = 1 << 5,
        Group = 1 << 6, Source = 1 << 7, NodeWallMs = 1 << 8, LagNs = 1 << 9, Process = 1 << 10,
        Phase = 1 << 11, F = 1 << 12, Value = 1 << 13, LatencyNs = 1 << 14, Error = 1 << 15,
        AcknowledgedBy = 1 << 16,
    }

    /// <summary>Each key's name on a line, by the key's bit: the one spelling the reader and the writer use.</summary>
    private static readonly JsonEncodedText[] Names = [.. new[]
    {
        "type", "time", "node", "role", "term", "leader", "group", "source", "nodeWallMs", "lagNs", "process",
        "phase", "f", "value", "latencyNs", "error", "acknowledgedBy",
    }.Select(n => JsonEncodedText.Encode(n))];

    /// <summary>The keys by the length of their names, so that a name read is compared with few others.</summary>
    private static readonly Key[][] KeysByLength = ByNameLength();

    private const Key StateKeys = Key.Type | Key.Time | Key.Node | Key.Role | Key.Term | Key.Leader | Key.Group
        | Key.Source | Key.NodeWallMs | Key.LagNs;
    private const Key StateRequired = Key.Type | Key.Time | Key.Node | Key.Role | Key.Term;
    private const Key OpKeys = Key.Type | Key.Time | Key.Process | Key.Phase | Key.F | Key.Node | Key.Value
        | Key.LatencyNs | Key.Term | Key.Group | Key.Error | Key.AcknowledgedBy;
    private const Key OpRequired = Key.Type | Key.Time | Key.Process | Key.Phase | Key.Node | Key.Value;

    /// <summary>The event on <paramref name="line"/> (valid UTF-8), or false: let the full reader read it.</summary>
    public bool TryRead(ReadOnlySpan<byte> line, [NotNullWhen(true)] out HistoryEvent? historyEvent)
    {
        historyEvent = null;
        try
        {
            return TryReadObject(line, out historyEvent);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool TryReadObject(ReadOnlySpan<byte> line, [NotNullWhen(true)] out HistoryEvent? historyEvent)
    {
        historyEvent = null;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var seen = Key.None;
        var nulls = Key.None;
        string? type = null, node = null, role = null, leader = null, group = null, source = null, phase = null;
        string? f = null, error = null, acknowledgedBy = null;
        long time = 0, value = 0;
        long? term = null, nodeWallMs = null, lagNs = null, latencyNs = null;
        var process = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.ValueIsEscaped ? Key.None : KeyOf(reader.ValueSpan);
            if (key == Key.None || (seen & key) != 0 || !reader.Read())
            {
                return false;
            }
            seen |= key;
            if (reader.TokenType == JsonTokenType.Null)
            {
                nulls |= key;
                continue;
            }
            var read = key switch
            {
                Key.Type => TryString(ref reader, out type),
                Key.Node => TryString(ref reader, out node),
                Key.Role => TryString(ref reader, out role),
                Key.Leader => TryString(ref reader, out leader),
                Key.Group => TryString(ref reader, out group),
                Key.Source => TryString(ref reader, out source),
                Key.Phase => TryString(ref reader, out phase),
                Key.F => TryString(ref reader, out f),
                Key.Error => TryString(ref reader, out error),
                Key.AcknowledgedBy => TryString(ref reader, out acknowledgedBy),
                Key.Time => TryLong(ref reader, out time),
                Key.Value => TryLong(ref reader, out value),
                Key.Term => TryLong(ref reader, out term),
                Key.NodeWallMs => TryLong(ref reader, out nodeWallMs),
                Key.LagNs => TryLong(ref reader, out lagNs),
                Key.LatencyNs => TryLong(ref reader, out latencyNs),
                Key.Process => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out process),
                _ => false,
            };
            if (!read)
            {
                return false;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }
        switch (type)
        {
            case StateType when (seen & ~StateKeys) == 0 && (seen & StateRequired) == StateRequired
                && (nulls & ~(Key.Leader | Key.NodeWallMs | Key.LagNs)) == 0:
                historyEvent = new StateObserved
                {
                    TimeNs = time,
                    Node = node!,
                    Role = role!,
                    Term = term!.Value,
                    Leader = leader,
                    Group = group ?? "default",
                    Source = source ?? "stream",
                    NodeWallMs = nodeWallMs,
                    LagNs = lagNs,
                };
                return true;
            case OpType when (seen & ~OpKeys) == 0 && (seen & OpRequired) == OpRequired
                && (nulls & ~(Key.LatencyNs | Key.Term | Key.Group | Key.Error | Key.AcknowledgedBy)) == 0:
                historyEvent = new ClientOp
                {
                    TimeNs = time,
                    Process = process,
                    Phase = phase!,
                    F = f ?? "write",
                    Node = node!,
                    Value = value,
                    LatencyNs = latencyNs,
                    Term = term,
                    Group = group,
                    Error = error,
                    AcknowledgedBy = acknowledgedBy,
                };
                return true;
            default:
                return false;
        }
    }

    private static bool TryLong(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    private static bool TryLong(ref Utf8JsonReader reader, out long? value)
    {
        var read = TryLong(ref reader, out long number);
        value = number;
        return read;
    }

    private bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }
        value = _strings.Get(reader.ValueSpan);
        return true;
    }

    private static Key KeyOf(ReadOnlySpan<byte> name)
    {
        if (name.Length >= KeysByLength.Length)
        {
            return Key.None;
        }
        foreach (var key in KeysByLength[name.Length])
        {
            if (name.SequenceEqual(NameOf(key).EncodedUtf8Bytes))
            {
                return key;
            }
        }
        return Key.None;
    }

    private static Key[][] ByNameLength()
    {
        var keys = new List<Key>[Names.Max(n => n.EncodedUtf8Bytes.Length) + 1];
        for (var bit = 0; bit < Names.Length; bit++)
        {
            (keys[Names[bit].EncodedUtf8Bytes.Length] ??= []).Add((Key)(1 << bit));
        }
        return [.. keys.Select(k => k?.ToArray() ?? [])];
    }

    private static JsonEncodedText NameOf(Key key) => Names[BitOperations.Log2((uint)key)];

    /// <summary>
    /// Writes a state or op line as the serializer does (<see cref="HistoryJson.Options"/>: the derived record's
    /// properties in their order, then the base's <c>time</c>; nulls left out) and true; false for other events.
    /// String values are written through <paramref name="texts"/>, which encodes each once.
    /// </summary>
    public static bool TryWrite(Utf8JsonWriter json, HistoryEvent historyEvent, EncodedTexts texts)
    {
        switch (historyEvent)
        {
            case StateObserved state:
                json.WriteStartObject();
                json.WriteString(NameOf(Key.Type), StateType);
                texts.Write(json, NameOf(Key.Node), state.Node);
                texts.Write(json, NameOf(Key.Role), state.Role);
                json.WriteNumber(NameOf(Key.Term), state.Term);
                WriteUnlessNull(json, texts, Key.Leader, state.Leader);
                texts.Write(json, NameOf(Key.Group), state.Group);
                texts.Write(json, NameOf(Key.Source), state.Source);
                WriteUnlessNull(json, Key.NodeWallMs, state.NodeWallMs);
                WriteUnlessNull(json, Key.LagNs, state.LagNs);
                json.WriteNumber(NameOf(Key.Time), state.TimeNs);
                json.WriteEndObject();
                return true;
            case ClientOp op:
                json.WriteStartObject();
                json.WriteString(NameOf(Key.Type), OpType);
                json.WriteNumber(NameOf(Key.Process), op.Process);
                texts.Write(json, NameOf(Key.Phase), op.Phase);
                texts.Write(json, NameOf(Key.F), op.F);
                texts.Write(json, NameOf(Key.Node), op.Node);
                json.WriteNumber(NameOf(Key.Value), op.Value);
                WriteUnlessNull(json, Key.LatencyNs, op.LatencyNs);
                WriteUnlessNull(json, Key.Term, op.Term);
                WriteUnlessNull(json, texts, Key.Group, op.Group);
                WriteUnlessNull(json, texts, Key.Error, op.Error);
                WriteUnlessNull(json, texts, Key.AcknowledgedBy, op.AcknowledgedBy);
                json.WriteNumber(NameOf(Key.Time), op.TimeNs);
                json.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    private static void WriteUnlessNull(Utf8JsonWriter json, EncodedTexts texts, Key key, string? value)
    {
        if (value is not null)
        {
            texts.Write(json, NameOf(key), value);
        }
    }

    private static void WriteUnlessNull(Utf8JsonWriter json, Key key, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(NameOf(key), number);
        }
    }
}
