using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Coup.History;

/// <summary>The one JSON shape shared by the writer, the reader and the results file.</summary>
public static class HistoryJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        // The writer puts "type" first, but a line re-serialized by another tool (jq -S sorts keys) must still read.
        AllowOutOfOrderMetadataProperties = true,
        // Set, not left to the first use, so the reader can ask it for each event's fields (EventShape).
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    /// <summary>
    /// A serializer error without its JSON path, position and namespaces, which say nothing more
    /// about one line or file.
    /// </summary>
    public static string Reason(Exception e)
    {
        var message = e.Message;
        var end = new[] { " Path:", " LineNumber:" }
            .Select(m => message.IndexOf(m, StringComparison.Ordinal))
            .Where(i => i >= 0)
            .DefaultIfEmpty(message.Length)
            .Min();
        return message[..end]
            .Replace($"{typeof(HistoryEvent).Namespace}.", "")
            .Replace("Coup.Checkers.", "")
            .TrimEnd('.', ' ');
    }
}
