using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Plans;

/// <summary>
/// Reads a plan file: its shape against <see cref="PlanSchema"/>, then every name and number against
/// the rules <c>coup run</c> enforces (<see cref="OptionLimits"/>), each problem with its pointer.
/// </summary>
public static partial class PlanReader
{
    /// <summary>The plan, or every problem found (none when the plan is returned).</summary>
    public static (Plan? Plan, IReadOnlyList<PlanProblem> Problems) Read(PlanDocument document)
    {
        var problems = PlanSchema.Check(document.Root).ToList();
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        // Re-read from text so every number reads as any numeric type.
        var root = JsonNode.Parse(document.Root!.ToJsonString())!.AsObject();
        var fields = new Fields(root, problems);
        var runtimes = fields.Runtimes(root["runtimes"], "/runtimes") ?? [RuntimeKind.Sim];
        var nodes = fields.NodeCounts(root["nodes"], "/nodes") ?? [OptionLimits.Nodes.Default];
        var plan = new Plan
        {
            Name = root["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(document.Path),
            Path = document.Path,
            Sha256 = document.Sha256,
            Targets =
            [
                .. root["targets"]!.AsArray().Select((t, i) => fields.Target(t!.AsObject(), i, nodes, runtimes)),
            ],
            Nemeses = fields.Nemeses(root["nemeses"]!.AsArray(), document.Path),
            SimSeeds = fields.Seeds(root["seeds"], "/seeds", OptionLimits.Seeds),
            ContainerSeeds = fields.Seeds(root["container-runs"], "/container-runs", OptionLimits.ContainerRuns),
            TimeLimitS = fields.Number("time-limit", OptionLimits.TimeLimitS),
            IntervalS = fields.Number("interval", OptionLimits.IntervalS),
            Clients = fields.Whole("clients", OptionLimits.Clients),
            WriteRateHz = fields.Number("rate", OptionLimits.WriteRateHz),
            QuietS = fields.Number("quiet", OptionLimits.QuietS),
            ObservePeriodMs = fields.Whole("observe-ms", OptionLimits.ObservePeriodMs),
        };
        var duplicates = plan.Targets.GroupBy(t => t.Name).Where(g => g.Count() > 1);
        problems.AddRange(duplicates.Select(g => new PlanProblem($"{g.ElementAt(1).Pointer}/name",
            $"{g.Key} is named twice (also {g.First().Pointer}); each target once")));
        var faults = plan.Nemeses.Any(n => n.Timeline is null && n.Choices.Count > 0);
        if (problems.Count == 0 && OptionLimits.Problem(faults, plan.TimeLimitS, plan.IntervalS, plan.Clients,
            plan.WriteRateHz, plan.QuietS) is { } budget)
        {
            problems.Add(new PlanProblem("", budget));
        }
        return problems.Count == 0 ? (plan, []) : (null, problems);
    }

    /// <summary>Field readers that add each problem with its pointer and go on with a usable value.</summary>
    private sealed class Fields(JsonObject root, List<PlanProblem> problems)
    {
        public PlanTarget Target(
            JsonObject target, int index, IReadOnlyList<int> nodes, IReadOnlyList<RuntimeKind> runtimes)
        {
            var pointer = $"/targets/{index}";
            var name = target["name"]!.GetValue<string>();
            var algorithm = target["algorithm"]?.GetValue<string>();
            var system = ClusterSystems.Names.Contains(name);
            if (algorithm is not null && system)
            {
                Add($"{pointer}/algorithm", $"{name} is a real system and runs as itself; 'algorithm' runs an "
                    + "algorithm under another target name (e.g. name: raft, algorithm: raft-forgets-vote)");
            }
            else if (algorithm is not null)
            {
                Add($"{pointer}/name", Label().IsMatch(name) ? null : $"'{name}' labels cells in their ids: "
                    + "letters, digits, '.', '_' and '-', starting with a letter or digit");
                Add($"{pointer}/algorithm", Algorithms.IsKnown(algorithm) ? null
                    : $"unknown algorithm '{algorithm}'; choose one of: {string.Join(", ", Algorithms.Names)}");
            }
            else if (!system && !Algorithms.IsKnown(name))
            {
                problems.Add(new PlanProblem($"{pointer}/name", $"unknown target '{name}'; choose one of: "
                    + $"{string.Join(", ", Algorithms.Names.Concat(ClusterSystems.Names))}"));
            }
            var settings = target["settings"]?.AsObject()
                .Select(s => $"{s.Key}={Text(s.Value!)}").ToList() ?? [];
            Add($"{pointer}/settings", system
                ? Refusal(() => SystemSettings.From(ClusterSystems.Find(name), settings))
                : Refusal(() => AlgorithmSettings.From(settings)));
            return new PlanTarget
            {
                Name = name,
                Algorithm = system ? null : algorithm ?? name,
                IsSystem = system,
                Settings = settings,
                Nodes = NodeCounts(target["nodes"], $"{pointer}/nodes") ?? nodes,
                Runtimes = Runtimes(target["runtimes"], $"{pointer}/runtimes") ?? runtimes,
                Pointer = pointer,
            };
        }

        public IReadOnlyList<PlanNemesis> Nemeses(JsonArray sets, string planPath)
        {
            var nemeses = new List<PlanNemesis>();
            for (var i = 0; i < sets.Count; i++)
            {
                if (sets[i] is JsonObject scripted)
                {
                    if (Timeline(scripted, $"/nemeses/{i}", planPath) is { } timeline)
                    {
                        var twice = nemeses.FindIndex(n => n.TimelineName == timeline.TimelineName);
                        Add($"/nemeses/{i}", twice < 0 ? null : $"a second timeline named '{timeline.TimelineName}' " +
                            $"(also /nemeses/{twice}); give each a name of its own");
                        nemeses.Add(timeline);
                    }
                    continue;
                }
                var names = sets[i]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
                string? problem = null;
                var kinds = names.Count == 0 ? [] : Cli.Inputs.ParseNemesis(string.Join(",", names), out problem);
                if (kinds is null)
                {
                    // The first name that is wrong on its own, else the second of a name given twice.
                    var wrong = names.FindIndex(n => n == "none" || Cli.Inputs.ParseNemesis(n, out _) is null);
                    var twice = names.FindIndex(n => names.IndexOf(n) != names.LastIndexOf(n));
                    var index = wrong >= 0 ? wrong : names.IndexOf(names[twice], twice + 1);
                    problems.Add(new PlanProblem($"/nemeses/{i}/{index}", problem!));
                    continue;
                }
                var same = nemeses.FindIndex(
                    n => n.Timeline is null && n.Choices.Order().SequenceEqual(kinds.Order()));
                if (same >= 0)
                {
                    problems.Add(new PlanProblem(
                        $"/nemeses/{i}", $"the same set as /nemeses/{same}; list each set once"));
                }
                nemeses.Add(new PlanNemesis(kinds));
            }
            return nemeses;
        }

        /// <summary>
        /// <c>{timeline: FILE}</c> (relative to the plan file) or <c>{timeline: [steps]}</c>, with an optional
        /// <c>name</c>; its problems carry their pointer into the plan (or the file's name and pointer).
        /// </summary>
        private PlanNemesis? Timeline(JsonObject entry, string pointer, string planPath)
        {
            var node = entry["timeline"];
            var file = node is JsonValue ? node.GetValue<string>() : null;
            var name = entry["name"]?.GetValue<string>()
                ?? (file is null ? "timeline" : Path.GetFileNameWithoutExtension(file));
            Add($"{pointer}/name", Label().IsMatch(name) ? null
                : $"'{name}' names cells in their ids: letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit");
            var at = $"{pointer}/timeline";
            JsonNode? root = node;
            if (file is not null)
            {
                var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(planPath))!, file);
                if (!File.Exists(path))
                {
                    Add(at, $"{file}: no timeline file there (a path relative to the plan file)");
                    return null;
                }
                root = PlanDocument.Load(path).Root;
                at = $"{at}: {file}";
            }
            var (timeline, problems) = TimelineFile.Read(root);
            foreach (var problem in problems)
            {
                var where = problem.Pointer.Length == 0 ? at
                    : file is null ? $"{at}{problem.Pointer}" : $"{at} {problem.Pointer}";
                Add(where, problem.Message);
            }
            return timeline is null ? null
                : new PlanNemesis(timeline.Choices, name, Faults.Timelines.TimelineWriter.ToCompactJson(timeline));
        }

        public IReadOnlyList<int>? NodeCounts(JsonNode? list, string pointer) =>
            list is null ? null : Distinct(list.AsArray(), pointer, (n, at) => Whole(n, at, OptionLimits.Nodes));

        public IReadOnlyList<RuntimeKind>? Runtimes(JsonNode? list, string pointer) =>
            list is null ? null : Distinct(list.AsArray(), pointer, (n, at) =>
            {
                var text = n.GetValue<string>();
                if (text is "sim" or "docker")
                {
                    return text == "sim" ? RuntimeKind.Sim : RuntimeKind.Docker;
                }
                problems.Add(new PlanProblem(at, $"unknown runtime '{text}'; choose docker or sim"));
                return (RuntimeKind?)null;
            });

        /// <summary>A count N (seeds 1..N, within <paramref name="count"/>) or a list of distinct seeds.</summary>
        public IReadOnlyList<int> Seeds(JsonNode? node, string pointer, Limit<int> count) => node switch
        {
            null => [.. Enumerable.Range(1, count.Default)],
            JsonArray list => Distinct(list, pointer, (n, at) => Whole(n, at, OptionLimits.Seed)),
            _ => Whole(node, pointer, count) is { } n ? [.. Enumerable.Range(1, n)] : [],
        };

        public double Number(string key, Limit<double> limit)
        {
            if (root[key] is not { } node)
            {
                return limit.Default;
            }
            var value = node.GetValue<double>();
            return Add($"/{key}", limit.Problem(value)) ? limit.Default : value;
        }

        public int Whole(string key, Limit<int> limit) =>
            root[key] is { } node ? Whole(node, $"/{key}", limit) ?? limit.Default : limit.Default;

        private int? Whole(JsonNode node, string pointer, Limit<int> limit)
        {
            var value = node.GetValue<double>();
            if (value < int.MinValue || value > int.MaxValue)
            {
                Add(pointer, string.Create(CultureInfo.InvariantCulture,
                    $"{limit.Option} must be from {limit.Min} to {limit.Max}{limit.Unit}, got {value}"));
                return null;
            }
            return Add(pointer, limit.Problem((int)value)) ? null : (int)value;
        }

        private List<T> Distinct<T>(JsonArray list, string pointer, Func<JsonNode, string, T?> read)
            where T : struct
        {
            var values = new List<T>();
            for (var i = 0; i < list.Count; i++)
            {
                if (read(list[i]!, $"{pointer}/{i}") is not { } value)
                {
                    continue;
                }
                if (values.Contains(value))
                {
                    Add($"{pointer}/{i}", $"{Text(list[i]!)} is listed twice; list each once");
                    continue;
                }
                values.Add(value);
            }
            return values;
        }

        private bool Add(string pointer, string? problem)
        {
            if (problem is not null)
            {
                problems.Add(new PlanProblem(pointer, problem));
            }
            return problem is not null;
        }
    }

    /// <summary>A target's name where it labels an algorithm: it goes into cell ids and file names.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Label();

    private static string Text(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    private static string? Refusal(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (CoupException e)
        {
            return e.Message;
        }
    }
}
