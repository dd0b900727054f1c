using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Coup.Harness.Plans;

/// <summary>
/// A plan file (or a timeline) as read: its bytes' SHA-256 and its content as a JSON tree, so one JSON Schema checks
/// YAML and JSON plans alike (JSON is YAML). Plain scalars are typed as YAML 1.2's core schema types
/// them (null, booleans, numbers); quoted scalars stay strings.
/// </summary>
public sealed record PlanDocument(string Path, string Sha256, JsonNode? Root)
{
    /// <summary>Plan files past this size are refused before parsing; the nightly plan is under 4 KB.</summary>
    public const int BytesMax = 1 << 20;

    /// <exception cref="CoupException">A missing, oversized or unparsable file, in one line.</exception>
    public static PlanDocument Load(string path) => Parse(path, File.ReadAllBytes(path));

    /// <summary>A document given as <paramref name="bytes"/>; <paramref name="path"/> names it in errors.</summary>
    public static PlanDocument Parse(string path, byte[] bytes)
    {
        if (bytes.Length > BytesMax)
        {
            throw CoupException.Usage($"{path}: {bytes.Length} bytes, a document may have at most {BytesMax}");
        }
        var stream = new YamlStream();
        JsonNode? root;
        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes));
            stream.Load(reader);
            root = stream.Documents.Count == 1 ? ToJson(stream.Documents[0].RootNode) : null;
        }
        catch (YamlException e)
        {
            var message = Cli.Inputs.OneLine(e.InnerException?.Message ?? e.Message);
            throw CoupException.Usage($"{path}:{e.Start.Line}:{e.Start.Column}: {message}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this, with no position, on some unclosed flow collections.
            throw CoupException.Usage(
                $"{path}: not valid YAML ({Cli.Inputs.OneLine(e.Message)}); look for an unclosed [ or {{");
        }
        if (stream.Documents.Count > 1)
        {
            throw CoupException.Usage($"{path}: holds {stream.Documents.Count} YAML documents; expected one");
        }
        return new PlanDocument(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), root);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(entry =>
            KeyValuePair.Create(Key(entry.Key), ToJson(entry.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static string Key(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text
        : throw new YamlException(key.Start, key.End, "a key must be a plain name, not a list or a map");

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }
        const NumberStyles integer = NumberStyles.AllowLeadingSign;
        const NumberStyles real = NumberStyles.Float & ~NumberStyles.AllowThousands;
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, integer, CultureInfo.InvariantCulture, out var whole)
                => JsonValue.Create(whole),
            _ when double.TryParse(text, real, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
