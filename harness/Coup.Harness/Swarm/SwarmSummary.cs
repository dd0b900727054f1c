using System.Globalization;
using System.Text;
using System.Text.Json;
using Coup.Checkers;
using Coup.History;

namespace Coup.Harness.Swarm;

/// <summary>The failing seeds of one anomaly (<c>checker: kind</c>), all of them, in seed order.</summary>
public sealed record AnomalyGroup
{
    public required string Anomaly { get; init; }
    public required Verdict Verdict { get; init; }
    public required IReadOnlyList<int> Seeds { get; init; }
    /// <summary>
    /// The first seeds' reproduce lines (every seed's is its drawn plan's, <see cref="SwarmDraw"/>).
    /// </summary>
    public required IReadOnlyList<SeedExample> Examples { get; init; }
}

public sealed record SeedExample(int Seed, string Reproduce);

/// <summary><c>swarm.json</c>: what a swarm ran and found; <c>swarm.md</c> says it for people.</summary>
public sealed record SwarmSummary
{
    public const string JsonFile = "swarm.json";
    public const string MarkdownFile = "swarm.md";
    public const string SeedsFile = "seeds.jsonl";
    /// <summary>Reproduce lines written per anomaly: the rest are one seed number away.</summary>
    public const int ExamplesMax = 20;
    /// <summary>Of those, printed at the end of a swarm.</summary>
    public const int PrintedExamplesMax = 5;

    public required string Algorithm { get; init; }
    public required string Command { get; init; }
    public required int FirstSeed { get; init; }
    public required int SeedsAsked { get; init; }
    public required int SeedsDone { get; init; }
    public required int Parallel { get; init; }
    public required bool Interrupted { get; init; }
    public required int Valid { get; init; }
    public required int Invalid { get; init; }
    public required int Unknown { get; init; }
    public required double ElapsedS { get; init; }
    public required double SeedsPerMinute { get; init; }
    public required string Draw { get; init; }
    public required IReadOnlyList<AnomalyGroup> Groups { get; init; }

    /// <summary>Invalid wins, then unknown; an interrupted swarm is interrupted, whatever it found.</summary>
    public int ExitCode => Interrupted ? ExitCodes.Interrupted
        : Invalid > 0 ? ExitCodes.Invalid : Unknown > 0 ? ExitCodes.Unknown : ExitCodes.Valid;

    public double FlaggedShare => SeedsDone == 0 ? 0 : (double)(Invalid) / SeedsDone;

    public void Write(string directory)
    {
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(this, HistoryJson.Indented));
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(ExamplesMax));
    }

    public static SwarmSummary Read(string path) =>
        JsonSerializer.Deserialize<SwarmSummary>(File.ReadAllText(path), HistoryJson.Options)
        ?? throw new InvalidDataException($"{path}: empty");

    /// <summary>
    /// The counts, then each anomaly with its seeds and up to <paramref name="examples"/> reproduce lines.
    /// </summary>
    public string Markdown(int examples)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# coup swarm: {Algorithm}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{Command}`");
        text.AppendLine();
        text.AppendLine(Line);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Each seed drew: {Draw}.");
        foreach (var group in Groups)
        {
            text.AppendLine();
            var verdict = group.Verdict.ToString().ToLowerInvariant();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"## {group.Anomaly} ({verdict}): {group.Seeds.Count} seeds");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Seeds: {SeedList(group.Seeds)}");
            text.AppendLine();
            foreach (var example in group.Examples.Take(examples))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- seed {example.Seed}: `{example.Reproduce}`");
            }
        }
        return text.ToString();
    }

    /// <summary>One line: seeds done, verdicts, share flagged, pace.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"{SeedsDone} of {SeedsAsked} seeds ({FirstSeed}-{FirstSeed + SeedsAsked - 1})"
        + $"{(Interrupted ? ", interrupted" : "")}: "
        + $"{Invalid} invalid ({FlaggedShare:P1}), {Unknown} unknown, {Valid} valid; "
        + $"{ElapsedS:0.0} s, {SeedsPerMinute:0} seeds/min with --parallel {Parallel}");

    /// <summary>What the end of a swarm prints: the line, then each anomaly with a few reproduce lines.</summary>
    public void Print(TextWriter output, string directory)
    {
        output.WriteLine($"swarm {Algorithm}: {Line}");
        foreach (var group in Groups)
        {
            output.WriteLine($"  {group.Anomaly} ({group.Verdict.ToString().ToLowerInvariant()}): "
                + $"{group.Seeds.Count} seeds: {SeedList(group.Seeds)}");
            foreach (var example in group.Examples.Take(PrintedExamplesMax))
            {
                output.WriteLine($"    seed {example.Seed}: {example.Reproduce}");
            }
        }
        output.WriteLine($"summary: {Path.Combine(directory, MarkdownFile)} (every seed: {SeedsFile})");
    }

    private static string SeedList(IReadOnlyList<int> seeds, int shown = 30) =>
        string.Join(", ", seeds.Take(shown)) + (seeds.Count > shown ? $" and {seeds.Count - shown} more" : "");
}
