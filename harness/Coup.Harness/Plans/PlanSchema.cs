using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coup.Faults.Timelines;
using Json.Schema;

namespace Coup.Harness.Plans;

/// <summary>A problem in a plan file at a JSON Pointer into the document (empty for the whole plan).</summary>
public sealed record PlanProblem(string Pointer, string Message)
{
    public string Line(string path) => Pointer.Length == 0 ? $"{path}: {Message}" : $"{path}: {Pointer}: {Message}";
}

/// <summary>
/// <c>plans/plan.schema.json</c>, embedded in the harness: the plan's shape (keys, types, lists).
/// Ranges and names are checked by <see cref="PlanReader"/> against the run's own limits, defined once.
/// </summary>
public static class PlanSchema
{
    public const string File = "plans/plan.schema.json";
    public const string TimelineFile = "plans/timeline.schema.json";

    private static readonly Lazy<JsonSchema> Loaded = new(() => Embedded("plan.schema.json"));
    private static readonly Lazy<JsonSchema> TimelineLoaded = new(() => Embedded("timeline.schema.json"));

    private static JsonSchema Embedded(string name)
    {
        using var stream = typeof(PlanSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the harness");
        return JsonSchema.FromText(new StreamReader(stream).ReadToEnd());
    }

    /// <summary>Each place the document breaks the schema, in document order, one problem each.</summary>
    public static IReadOnlyList<PlanProblem> Check(JsonNode? document) => Check(document, Loaded.Value, File);

    /// <summary>As <see cref="Check(JsonNode?)"/>, against <c>plans/timeline.schema.json</c>.</summary>
    public static IReadOnlyList<PlanProblem> CheckTimeline(JsonNode? document) =>
        Check(document, TimelineLoaded.Value, TimelineFile);

    private static IReadOnlyList<PlanProblem> Check(JsonNode? document, JsonSchema schema, string file)
    {
        var instance = JsonSerializer.SerializeToElement(document);
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }
        return [.. (results.Details ?? [results])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => Problem(d, e.Key, e.Value, document, file)))
            .Distinct()
            .OrderBy(p => p.Pointer, StringComparer.Ordinal)];
    }

    private static PlanProblem Problem(
        EvaluationResults detail, string keyword, string message, JsonNode? document, string file)
    {
        var pointer = detail.InstanceLocation.ToString();
        var evaluation = detail.EvaluationPath.ToString();
        if (keyword == "" && evaluation.Contains("/additionalProperties", StringComparison.Ordinal))
        {
            var key = pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/").Replace("~0", "~");
            return new PlanProblem(pointer, $"unknown key '{key}' (the keys are in {file})");
        }
        return keyword switch
        {
            "type" => new PlanProblem(
                pointer, $"must be {Expected(message)}, got {TimelineReader.Kind(Find(document, pointer))}"),
            "required" => new PlanProblem(pointer, "missing "
                + string.Join(", ", Regex.Matches(message, "\"([^\"]+)\"").Select(m => $"'{m.Groups[1].Value}'"))),
            "minItems" => new PlanProblem(pointer, "must not be empty"),
            _ => new PlanProblem(pointer, message),
        };
    }

    /// <summary>
    /// The types the schema asks for, in words, from the library's message (<c>... should be "array"</c>):
    /// its schema locations do not always point at the keyword's subschema.
    /// </summary>
    private static string Expected(string message)
    {
        var asked = message[(message.LastIndexOf("should be", StringComparison.Ordinal) + "should be".Length)..];
        return string.Join(" or ", asked.Trim(' ', '"').Split(", ").Select(Word));
    }

    private static string Word(string type) => type switch
    {
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a string",
        "array" => "a list",
        "object" => "a map of keys",
        "boolean" => "true or false",
        _ => type,
    };

    private static JsonNode? Find(JsonNode? document, string pointer)
    {
        var node = document;
        foreach (var step in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Replace("~1", "/").Replace("~0", "~")))
        {
            node = node switch
            {
                JsonObject map => map[step],
                JsonArray list when int.TryParse(step, out var index) && index < list.Count => list[index],
                _ => null,
            };
        }
        return node;
    }
}
