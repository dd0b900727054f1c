using System.Text.Json;

namespace Coup.History;

/// <summary>
/// The JSON text of the short values a history repeats on every line (node names, roles, phases, groups), escaped
/// and encoded once with the writer's encoder, so that writing one again is a copy of its bytes. Holds at most
/// <see cref="TextsMax"/> values; past that, or for a long value, the writer encodes it each time.
/// </summary>
internal sealed class EncodedTexts
{
    private const int TextsMax = 1024;
    private const int TextLengthMax = 64;

    private readonly Dictionary<string, JsonEncodedText> _texts = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="name"/> and <paramref name="value"/>: the bytes
    /// <see cref="Utf8JsonWriter.WriteString(JsonEncodedText, string)"/> writes.</summary>
    public void Write(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is null || !_texts.TryGetValue(value, out var encoded))
        {
            if (value is null || value.Length > TextLengthMax || _texts.Count >= TextsMax)
            {
                json.WriteString(name, value);
                return;
            }
            encoded = JsonEncodedText.Encode(value, json.Options.Encoder);
            _texts[value] = encoded;
        }
        json.WriteString(name, encoded);
    }
}
