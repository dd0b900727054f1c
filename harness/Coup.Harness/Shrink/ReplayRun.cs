using System.Text.Json;
using Coup.Checkers;
using Coup.Harness.Run;
using Coup.Harness.Swarm;
using Coup.History;

namespace Coup.Harness.Shrink;

/// <summary>What <c>coup replay</c> found: saved as <c>replay.json</c> in the replay's run directory.</summary>
public sealed record ReplayOutcome
{
    public required string Original { get; init; }
    public required string OriginalRuntime { get; init; }
    public required string Runtime { get; init; }
    /// <summary>The original's anomalies that the replay showed again.</summary>
    public required IReadOnlyList<string> Reproduced { get; init; }
    /// <summary>The original's anomalies that the replay did not show.</summary>
    public required IReadOnlyList<string> NotReproduced { get; init; }
    /// <summary>Anomalies the replay showed that the original did not.</summary>
    public required IReadOnlyList<string> New { get; init; }
}

/// <summary>
/// <c>coup replay RUN --runtime docker</c>: runs a saved run again, in the runtime asked for, with the same
/// algorithm, nodes, seed, workload and faults (a timeline plays each fault at its time, held as long;
/// a container run applies it as soon as the engine allows), and says which of its anomalies came back.
/// </summary>
public sealed class ReplayRun(string runDirectory, RuntimeKind runtime, string store, TextWriter output)
{
    public const string OutcomeFile = "replay.json";

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        var recorded = RecordedRun.Read(runDirectory);
        var plan = RunPlan.FromStarted(recorded.Run, store) with { Runtime = runtime };
        var runner = new Runner(plan.Validated(), output);
        var exit = await runner.RunAsync(cancellation);
        var replayed = ResultsFile.Read(Path.Combine(runner.RunDirectory!, RunStore.ResultsFile));
        var before = recorded.Anomalies;
        var after = SeedResult.AnomaliesOf(replayed);
        var outcome = new ReplayOutcome
        {
            Original = Path.GetFullPath(runDirectory),
            OriginalRuntime = recorded.Run.Runtime,
            Runtime = runtime.ToString().ToLowerInvariant(),
            Reproduced = [.. before.Intersect(after)],
            NotReproduced = [.. before.Except(after)],
            New = [.. after.Except(before)],
        };
        File.WriteAllText(Path.Combine(runner.RunDirectory!, OutcomeFile),
            JsonSerializer.Serialize(outcome, HistoryJson.Indented));
        output.WriteLine(before.Count == 0
            ? $"replay: the original was {recorded.Results.Verdict.ToString().ToLowerInvariant()}; "
                + $"in {outcome.Runtime} it is {replayed.Verdict.ToString().ToLowerInvariant()}"
            : $"replay in {outcome.Runtime}: {outcome.Reproduced.Count} of {before.Count} anomalies reproduced");
        foreach (var a in outcome.Reproduced)
        {
            output.WriteLine($"  reproduced:     {a}");
        }
        foreach (var a in outcome.NotReproduced)
        {
            output.WriteLine($"  not reproduced: {a}");
        }
        foreach (var a in outcome.New)
        {
            output.WriteLine($"  new:            {a}");
        }
        return exit;
    }
}
