using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coup.History;

/// <summary>
/// Checks one line's JSON against the event model before it is deserialized: a known <c>type</c>,
/// every key known and given once, each value of its field's kind, every required field present.
/// The fields come from the records themselves, so the model and this check cannot drift apart.
/// </summary>
internal static class EventShape
{
    private sealed record Field(string Name, Type Type, bool Required, bool Nullable);

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<Field>> FieldsByType = FieldsOfEachType();

    private static readonly string TypeNames = string.Join(", ", FieldsByType.Keys);

    /// <summary>What is wrong with the shape of <paramref name="line"/>, or null if it has an event's.</summary>
    public static string? Problem(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            return $"expected a JSON object, got {Show(line)}";
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in line.EnumerateObject())
        {
            if (!keys.Add(property.Name))
            {
                return $"key '{property.Name}' appears twice; each key may appear once";
            }
        }
        if (!line.TryGetProperty("type", out var typeElement))
        {
            return $"no 'type'; expected one of {TypeNames}";
        }
        var type = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : null;
        if (type is null || !FieldsByType.TryGetValue(type, out var fields))
        {
            return $"type {(type is null ? Show(typeElement) : $"'{type}'")} is not one of {TypeNames}";
        }
        foreach (var property in line.EnumerateObject().Where(p => p.Name != "type"))
        {
            if (fields.FirstOrDefault(f => f.Name == property.Name) is not { } field)
            {
                var known = string.Join(", ", fields.Select(f => f.Name));
                return $"unknown key '{property.Name}' in a {type} line; expected {known}";
            }
            if (property.Value.ValueKind == JsonValueKind.Null ? !field.Nullable : !Fits(property.Value, field.Type))
            {
                return $"'{field.Name}' is {Show(property.Value)}; expected {Expected(field.Type)}";
            }
        }
        var missing = fields.Where(f => f.Required && !keys.Contains(f.Name)).Select(f => $"'{f.Name}'").ToList();
        return missing.Count == 0 ? null : $"a {type} line needs {string.Join(", ", missing)}";
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<Field>> FieldsOfEachType()
    {
        var nullability = new NullabilityInfoContext();
        var polymorphism = HistoryJson.Options.GetTypeInfo(typeof(HistoryEvent)).PolymorphismOptions!;
        return polymorphism.DerivedTypes.ToDictionary(
            d => (string)d.TypeDiscriminator!,
            d => (IReadOnlyList<Field>)[.. HistoryJson.Options.GetTypeInfo(d.DerivedType).Properties
                .Where(p => p.Set is not null)
                .Select(p => new Field(
                    p.Name,
                    Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType,
                    p.IsRequired,
                    Nullable.GetUnderlyingType(p.PropertyType) is not null
                    || p.AttributeProvider is PropertyInfo info
                    && nullability.Create(info).WriteState == NullabilityState.Nullable))]);
    }

    private static bool Fits(JsonElement value, Type type) => type switch
    {
        _ when type == typeof(long) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ when type == typeof(int) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        _ when type == typeof(double) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d),
        _ when type == typeof(bool) => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ when type == typeof(string) => value.ValueKind == JsonValueKind.String,
        _ when type == typeof(DateTimeOffset) =>
            value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _),
        _ when type == typeof(IReadOnlyList<string>) => IsListOf(value, v => v.ValueKind == JsonValueKind.String),
        _ when type == typeof(IReadOnlyList<IReadOnlyList<string>>) =>
            IsListOf(value, v => IsListOf(v, w => w.ValueKind == JsonValueKind.String)),
        _ when type == typeof(IReadOnlyDictionary<string, IReadOnlyList<string>>) =>
            value.ValueKind == JsonValueKind.Object
            && value.EnumerateObject().Select(p => p.Name).Distinct().Count() == value.EnumerateObject().Count()
            && value.EnumerateObject().All(p => IsListOf(p.Value, v => v.ValueKind == JsonValueKind.String)),
        // run-start's timeline: a document the checkers do not read (coup run --timeline checks it).
        _ when type == typeof(JsonNode) => value.ValueKind == JsonValueKind.Array,
        _ => throw new InvalidOperationException($"the history has a field of a kind the reader cannot check: {type}"),
    };

    private static bool IsListOf(JsonElement value, Func<JsonElement, bool> fits) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(fits);

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(long) || type == typeof(int) => "an integer",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(DateTimeOffset) => "an ISO 8601 date and time",
        _ when type == typeof(IReadOnlyList<string>) => "a list of strings",
        _ when type == typeof(IReadOnlyList<IReadOnlyList<string>>) => "a list of lists of strings",
        _ when type == typeof(IReadOnlyDictionary<string, IReadOnlyList<string>>) =>
            "an object mapping each key once to a list of strings",
        _ when type == typeof(JsonNode) => "a list of timeline steps",
        _ => "a string",
    };

    private const int ShownCharsMax = 40;

    /// <summary>A value as it was written, cut short if long.</summary>
    internal static string Show(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= ShownCharsMax ? text : $"{text[..ShownCharsMax]}...";
    }
}
