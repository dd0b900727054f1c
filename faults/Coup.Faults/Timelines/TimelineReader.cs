using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coup.Faults.Timelines;

/// <summary>
/// Reads a timeline document (YAML or JSON, as a JSON tree): every step's shape, every name through
/// <see cref="FaultChoice.Parse"/>, every number against <see cref="TimelineLimits"/>; each problem with
/// its JSON Pointer. Pure: the caller reads the file.
/// </summary>
public static class TimelineReader
{
    /// <summary>The words a <c>target</c> takes, as <see cref="TargetChoice"/> values.</summary>
    public static IReadOnlyList<(string Word, TargetChoice Target)> TargetWords { get; } =
    [
        ("random-node", TargetChoice.RandomNode),
        ("leader", TargetChoice.Leader),
        ("random-halves", TargetChoice.RandomHalves),
        ("isolate-leader", TargetChoice.IsolateLeader),
    ];

    public static string Word(TargetChoice target) => TargetWords.First(t => t.Target == target).Word;

    /// <summary>The timeline, or every problem found (none when the timeline is returned).</summary>
    public static (Timeline? Timeline, IReadOnlyList<TimelineProblem> Problems) Read(JsonNode? document)
    {
        var problems = new List<TimelineProblem>();
        // Re-read from text so every number reads as any numeric type.
        var root = document is null ? null : JsonNode.Parse(document.ToJsonString());
        var steps = new Reader(problems).Steps(root, "", 0);
        return problems.Count == 0 ? (new Timeline(steps), []) : (null, problems);
    }

    private sealed class Reader(List<TimelineProblem> problems)
    {
        public IReadOnlyList<TimelineStep> Steps(JsonNode? node, string pointer, int depth)
        {
            if (node is not JsonArray list || list.Count == 0)
            {
                Add(pointer, $"must be a list of steps, got {Kind(node)}");
                return [];
            }
            if (list.Count > TimelineLimits.StepsMax)
            {
                Add(pointer, $"{list.Count} steps; a list holds at most {TimelineLimits.StepsMax}");
                return [];
            }
            if (depth > TimelineLimits.DepthMax)
            {
                Add(pointer, $"repeats and parallels nest at most {TimelineLimits.DepthMax} deep");
                return [];
            }
            return [.. list.Select((s, i) => Step(s, $"{pointer}/{i}", depth)).OfType<TimelineStep>()];
        }

        private TimelineStep? Step(JsonNode? node, string pointer, int depth)
        {
            if (node is not JsonObject map)
            {
                Add(pointer, $"a step must be a map (fault, sleep, mix, repeat or parallel), got {Kind(node)}");
                return null;
            }
            var key = new[] { "fault", "sleep", "mix", "repeat", "parallel" }.Where(map.ContainsKey).ToList();
            if (key.Count != 1)
            {
                Add(pointer, key.Count == 0
                    ? "a step has one of fault, sleep, mix, repeat or parallel"
                    : $"a step has one of fault, sleep, mix, repeat or parallel, not {string.Join(" and ", key)}");
                return null;
            }
            return key[0] switch
            {
                "fault" => Fault(map, pointer),
                "sleep" when Keys(map, pointer, "sleep") =>
                    Seconds(map["sleep"], $"{pointer}/sleep", 0) is { } s
                        ? new SleepStep { SleepS = s, Pointer = pointer } : null,
                "mix" => Keys(map, pointer, "mix") ? Mix(map["mix"], $"{pointer}/mix") : null,
                "repeat" => Repeat(map, pointer, depth),
                "parallel" => Keys(map, pointer, "parallel")
                    ? Parallel(map["parallel"], $"{pointer}/parallel", depth) : null,
                _ => null,
            };
        }

        private FaultStep? Fault(JsonObject map, string pointer)
        {
            if (!Keys(map, pointer, "fault", "at", "hold", "target", "clock", "seed"))
            {
                return null;
            }
            var choice = Choice(map["fault"], $"{pointer}/fault");
            var at = map.ContainsKey("at") ? Seconds(map["at"], $"{pointer}/at", 0) : null;
            var hold = map.ContainsKey("hold")
                ? Seconds(map["hold"], $"{pointer}/hold", TimelineLimits.HoldSMin) : null;
            if (!map.ContainsKey("hold"))
            {
                Add(pointer, "missing 'hold': how many seconds the fault holds");
            }
            var target = map.ContainsKey("target") && choice is not null
                ? Target(map["target"], $"{pointer}/target", choice) : null;
            var clock = map.ContainsKey("clock") ? Clock(map["clock"], $"{pointer}/clock") : null;
            if (choice is { Kind: FaultKind.Clock, Strobe: null } && !map.ContainsKey("clock"))
            {
                Add(pointer, "a clock fault says its change: clock: {offset: S} (a bump) or {rate: R} (fast or slow)");
            }
            else if (choice is not null && map.ContainsKey("clock")
                && choice is not { Kind: FaultKind.Clock, Strobe: null })
            {
                Add($"{pointer}/clock", $"only a bare clock fault takes 'clock'; {choice.Name} " +
                    (choice.Strobe is null ? "changes no clock" : "has its figures in its name"));
            }
            var seed = map.ContainsKey("seed") ? Whole(map["seed"], $"{pointer}/seed", 0, int.MaxValue) : null;
            return choice is null || hold is null ? null : new FaultStep
            {
                AtS = at,
                Choice = choice,
                HoldS = hold.Value,
                Target = target,
                Clock = clock,
                Seed = seed,
                Pointer = pointer,
            };
        }

        private MixStep? Mix(JsonNode? node, string pointer)
        {
            if (node is not JsonObject map)
            {
                Add(pointer, $"must be a map with faults, interval and for, got {Kind(node)}");
                return null;
            }
            if (!Keys(map, pointer, "faults", "interval", "for", "hold"))
            {
                return null;
            }
            foreach (var missing in new[] { "faults", "interval", "for" }.Where(k => !map.ContainsKey(k)))
            {
                Add(pointer, $"missing '{missing}'");
            }
            var faults = new List<(FaultChoice, double)>();
            if (map["faults"] is JsonObject weights && weights.Count is > 0 and <= TimelineLimits.MixFaultsMax)
            {
                foreach (var (name, weight) in weights)
                {
                    var at = $"{pointer}/faults/{Escape(name)}";
                    var choice = Choice(JsonValue.Create(name), at);
                    var w = Number(weight, at, double.Epsilon, TimelineLimits.WeightMax, "a weight", "");
                    if (choice is not null && w is not null)
                    {
                        faults.Add((choice, w.Value));
                    }
                }
            }
            else if (map.ContainsKey("faults"))
            {
                Add($"{pointer}/faults", $"must be a map of 1 to {TimelineLimits.MixFaultsMax} fault names to " +
                    $"weights (partition: 2), got {Kind(map["faults"])}");
            }
            var interval = map.ContainsKey("interval")
                ? Seconds(map["interval"], $"{pointer}/interval", TimelineLimits.IntervalSMin) : null;
            var forS = map.ContainsKey("for")
                ? Seconds(map["for"], $"{pointer}/for", TimelineLimits.IntervalSMin) : null;
            var hold = map.ContainsKey("hold")
                ? Seconds(map["hold"], $"{pointer}/hold", TimelineLimits.HoldSMin) : null;
            if (interval is { } i && hold > i)
            {
                Add($"{pointer}/hold", Invariant($"a mix's fault holds at most its interval ({i} s), got {hold}"));
                return null;
            }
            if (interval is { } ii && forS < ii)
            {
                Add($"{pointer}/for", Invariant($"a mix runs at least one interval ({ii} s), got {forS}"));
                return null;
            }
            return interval is null || forS is null || faults.Count == 0 ? null : new MixStep
            {
                Faults = faults,
                IntervalS = interval.Value,
                ForS = forS.Value,
                HoldS = hold,
                Pointer = pointer,
            };
        }

        private RepeatStep? Repeat(JsonObject map, string pointer, int depth)
        {
            if (!Keys(map, pointer, "repeat", "steps"))
            {
                return null;
            }
            var times = Whole(map["repeat"], $"{pointer}/repeat", 1, TimelineLimits.RepeatMax);
            if (!map.ContainsKey("steps"))
            {
                Add(pointer, "missing 'steps': the steps to repeat");
                return null;
            }
            var steps = Steps(map["steps"], $"{pointer}/steps", depth + 1);
            return times is null || steps.Count == 0 ? null
                : new RepeatStep { Times = times.Value, Steps = steps, Pointer = pointer };
        }

        private ParallelStep? Parallel(JsonNode? node, string pointer, int depth)
        {
            if (node is not JsonArray tracks || tracks.Count is < 2 or > TimelineLimits.TracksMax)
            {
                Add(pointer, $"must be a list of 2 to {TimelineLimits.TracksMax} tracks, each a list of steps, " +
                    $"got {Kind(node)}");
                return null;
            }
            var read = tracks.Select((t, i) => Steps(t, $"{pointer}/{i}", depth + 1)).ToList();
            return read.Any(t => t.Count == 0) ? null : new ParallelStep { Tracks = read, Pointer = pointer };
        }

        private FaultChoice? Choice(JsonNode? node, string pointer)
        {
            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                Add(pointer,
                    $"must be a fault name as --nemesis takes it ({FaultChoice.Vocabulary}), got {Kind(node)}");
                return null;
            }
            var choice = FaultChoice.Parse(value.GetValue<string>(), out var problem);
            Add(pointer, problem);
            return choice;
        }

        private TargetChoice? Target(JsonNode? node, string pointer, FaultChoice choice)
        {
            var allowed = FaultSchedule.Targets(choice.Kind);
            var text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            var target = TargetWords.Where(t => t.Word == text && allowed.Contains(t.Target))
                .Select(t => (TargetChoice?)t.Target).FirstOrDefault();
            if (target is null)
            {
                Add(pointer, $"{choice.Kind.Name()} takes target {string.Join(" or ", allowed.Select(Word))}, " +
                    $"got {Kind(node)}" + (choice.Name != choice.Kind.Name()
                        ? $" ({choice.Name} names whom it hits; this target only keeps a written-out schedule's draws)"
                        : ""));
            }
            return target;
        }

        private ClockChange? Clock(JsonNode? node, string pointer)
        {
            if (node is not JsonObject map || map.Count == 0 || !Keys(map, pointer, "offset", "rate"))
            {
                Add(pointer, $"must be a map with offset (s) and/or rate, got {Kind(node)}");
                return null;
            }
            var offset = map.ContainsKey("offset") ? Number(map["offset"], $"{pointer}/offset",
                -TimelineLimits.ClockOffsetSMax, TimelineLimits.ClockOffsetSMax, "an offset", " s") : 0;
            var rate = map.ContainsKey("rate") ? Number(map["rate"], $"{pointer}/rate",
                TimelineLimits.ClockRateMin, TimelineLimits.ClockRateMax, "a rate", "") : 1;
            if (offset is null || rate is null)
            {
                return null;
            }
            if (offset == 0 && rate == 1)
            {
                Add(pointer, "changes nothing: give an offset other than 0 or a rate other than 1");
                return null;
            }
            return new ClockChange { OffsetS = offset.Value, Rate = rate.Value };
        }

        private double? Seconds(JsonNode? node, string pointer, double min) =>
            Number(node, pointer, min, TimelineLimits.SecondsMax, "seconds", " s");

        private double? Number(JsonNode? node, string pointer, double min, double max, string what, string unit)
        {
            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
            {
                Add(pointer, $"must be {what}, a number from {Text(min)} to {Text(max)}{unit}, got {Kind(node)}");
                return null;
            }
            var number = value.GetValue<double>();
            if (!double.IsFinite(number) || number < min || number > max)
            {
                Add(pointer, $"must be from {Text(min)} to {Text(max)}{unit}, got {Text(number)}");
                return null;
            }
            return number;
        }

        private int? Whole(JsonNode? node, string pointer, int min, int max)
        {
            var number = Number(node, pointer, min, max, "a whole number", "");
            if (number is { } n && n != Math.Floor(n))
            {
                Add(pointer, $"must be a whole number, got {Text(n)}");
                return null;
            }
            return (int?)number;
        }

        /// <summary>
        /// False, with a problem for each, when <paramref name="map"/> has a key not in <paramref name="keys"/>.
        /// </summary>
        private bool Keys(JsonObject map, string pointer, params string[] keys)
        {
            var unknown = map.Select(e => e.Key).Where(k => !keys.Contains(k)).ToList();
            foreach (var key in unknown)
            {
                Add($"{pointer}/{Escape(key)}", $"unknown key '{key}'; this step takes {string.Join(", ", keys)}");
            }
            return unknown.Count == 0;
        }

        private void Add(string pointer, string? problem)
        {
            if (problem is not null)
            {
                problems.Add(new TimelineProblem(pointer, problem));
            }
        }
    }

    private static string Escape(string key) => key.Replace("~", "~0").Replace("/", "~1");

    private static string Text(double number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>What a document holds where a value was expected, for a problem's line (plans say it alike).</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "a map",
        JsonArray => "a list",
        _ when node.GetValueKind() == JsonValueKind.String => $"'{node.GetValue<string>()}'",
        _ => node.ToJsonString(),
    };
}
