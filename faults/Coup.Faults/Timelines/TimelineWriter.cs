using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coup.Faults.Timelines;

/// <summary>
/// Writes timelines out: as a JSON tree in the form <see cref="TimelineReader"/> reads (what a run
/// saves, and its reproduce line carries), or as YAML for people; and any schedule the nemesis plays
/// (tracks of <see cref="PlannedFault"/>) as a timeline of faults at fixed times, each with its
/// target, clock change and choice seed, that compiles back to the same faults.
/// </summary>
public static class TimelineWriter
{
    /// <summary>The timeline of the faults of <paramref name="tracks"/> (one track: a plain list).</summary>
    public static Timeline FromTracks(IReadOnlyList<IReadOnlyList<PlannedFault>> tracks)
    {
        var lists = tracks.Where(t => t.Count > 0)
            .Select(t => (IReadOnlyList<TimelineStep>)[.. t.Select(Step)]).ToList();
        return lists.Count switch
        {
            0 => new Timeline([]),
            1 => new Timeline(lists[0]),
            _ => new Timeline([new ParallelStep { Tracks = lists }]),
        };
    }

    private static FaultStep Step(PlannedFault fault) => new()
    {
        AtS = fault.StartS,
        Choice = new FaultChoice(fault.Kind, fault.Partition, fault.Packet, fault.Strobe),
        HoldS = fault.HoldS,
        Target = fault.Target == FaultSchedule.Targets(fault.Kind)[^1] ? null : fault.Target,
        Clock = fault.Strobe is null ? fault.Clock : null,
        Seed = fault.ChoiceSeed,
    };

    /// <summary>The document, as <see cref="TimelineReader.Read"/> reads it back.</summary>
    public static JsonArray ToJson(Timeline timeline) => Steps(timeline.Steps);

    /// <summary>One line, with no spaces: what run-start records and a reproduce line carries.</summary>
    public static string ToCompactJson(Timeline timeline) => ToJson(timeline).ToJsonString(Relaxed);

    /// <summary>YAML for people: one step a line, flow style, every name quoted.</summary>
    public static string ToYaml(Timeline timeline)
    {
        var text = new StringBuilder();
        Yaml(ToJson(timeline), text, "");
        return text.ToString();
    }

    private static JsonArray Steps(IReadOnlyList<TimelineStep> steps) => [.. steps.Select(Step)];

    private static JsonObject Step(TimelineStep step) => step switch
    {
        FaultStep fault => Fault(fault),
        SleepStep sleep => new JsonObject { ["sleep"] = sleep.SleepS },
        MixStep mix => new JsonObject
        {
            ["mix"] = Without(new JsonObject
            {
                ["faults"] = new JsonObject(mix.Faults.Select(f =>
                    KeyValuePair.Create(f.Choice.Name, (JsonNode?)JsonValue.Create(f.Weight)))),
                ["interval"] = mix.IntervalS,
                ["for"] = mix.ForS,
                ["hold"] = mix.HoldS,
            }),
        },
        RepeatStep repeat => new JsonObject { ["repeat"] = repeat.Times, ["steps"] = Steps(repeat.Steps) },
        ParallelStep parallel => new JsonObject
        {
            ["parallel"] = new JsonArray([.. parallel.Tracks.Select(t => (JsonNode)Steps(t))]),
        },
        _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
    };

    private static JsonObject Fault(FaultStep fault) => Without(new JsonObject
    {
        ["at"] = fault.AtS,
        ["fault"] = fault.Choice.Name,
        ["hold"] = fault.HoldS,
        ["target"] = fault.Target is { } target ? TimelineReader.Word(target) : null,
        ["clock"] = fault.Clock is { } clock ? Without(new JsonObject
        {
            ["offset"] = clock.OffsetS == 0 ? null : clock.OffsetS,
            ["rate"] = clock.Rate == 1 ? null : clock.Rate,
        }) : null,
        ["seed"] = fault.Seed,
    });

    /// <summary>The map without its null entries: a key left out takes its default.</summary>
    private static JsonObject Without(JsonObject map)
    {
        foreach (var key in map.Where(e => e.Value is null).Select(e => e.Key).ToList())
        {
            map.Remove(key);
        }
        return map;
    }

    private static void Yaml(JsonArray steps, StringBuilder text, string indent)
    {
        foreach (var step in steps.Select(s => s!.AsObject()))
        {
            var nested = step.FirstOrDefault(e => e.Key is "steps" or "parallel");
            if (nested.Key is null)
            {
                text.Append(indent).Append("- ").Append(Flow(step)).Append('\n');
                continue;
            }
            text.Append(indent).Append("- ");
            if (step["repeat"] is { } times)
            {
                text.Append("repeat: ").Append(Flow(times)).Append('\n').Append(indent).Append("  steps:\n");
                Yaml(step["steps"]!.AsArray(), text, indent + "    ");
                continue;
            }
            text.Append("parallel:\n");
            foreach (var track in step["parallel"]!.AsArray())
            {
                text.Append(indent).Append("    -\n");
                Yaml(track!.AsArray(), text, indent + "      ");
            }
        }
    }

    /// <summary>
    /// A node in YAML's flow style; strings double-quoted (JSON's escapes are YAML's), numbers in their
    /// shortest round-trip form.
    /// </summary>
    private static string Flow(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject map => $"{{{string.Join(", ", map.Select(e => $"{e.Key}: {Flow(e.Value)}"))}}}",
        JsonArray list => $"[{string.Join(", ", list.Select(Flow))}]",
        _ => node.ToJsonString(Relaxed),
    };

    /// <summary>Names as written (<c>n1+n3</c>, not <c>n1\u002Bn3</c>); no name holds a quote or a space.</summary>
    private static readonly JsonSerializerOptions Relaxed =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
