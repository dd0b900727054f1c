using System.Globalization;
using Coup.Checkers;
using Coup.Faults.Timelines;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.Harness.Swarm;

namespace Coup.Harness.Shrink;

/// <summary>
/// <c>coup shrink RUN</c>: the run's faults written out as a timeline, then smaller and smaller runs tried in
/// the simulator (<see cref="Shrinker"/>) while the anomaly still shows; the smallest is run once more as a
/// normal run, with its report, and its timeline saved beside it as <c>timeline.yaml</c>.
/// </summary>
public sealed class ShrinkRun(string runDirectory, string? anomaly, int runsMax, string store, TextWriter output)
{
    public const string TimelineFile = "timeline.yaml";

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        var recorded = RecordedRun.Read(runDirectory);
        if (recorded.Run.Runtime != "sim")
        {
            throw CoupException.Usage(
                $"{runDirectory} was recorded in containers; shrink searches in the simulator: run "
                + "its reproduce line with --runtime sim, and shrink that run if it shows the anomaly");
        }
        var shown = recorded.Anomalies;
        if (recorded.Results.Verdict != Verdict.Invalid)
        {
            throw CoupException.Usage(
                $"{runDirectory} is {recorded.Results.Verdict.ToString().ToLowerInvariant()}"
                    + $": shrink needs an invalid run");
        }
        var kept = anomaly ?? shown[0];
        if (!shown.Contains(kept))
        {
            throw CoupException.Usage($"{runDirectory} does not show '{kept}'; it shows: {string.Join("; ", shown)}");
        }
        var plan = RunPlan.FromStarted(recorded.Run, store).Validated();
        var original = new ShrinkCandidate
        {
            Tracks = plan.Tracks(),
            Nodes = plan.Nodes,
            Clients = plan.Clients,
            TimeLimitS = plan.TimeLimitS,
        };
        var attempts = Path.Combine(Path.GetFullPath(store), "shrink",
            DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(attempts);
        var attemptHistory = Path.Combine(attempts, RunStore.HistoryFile);
        bool Reproduces(ShrinkCandidate candidate)
        {
            RunPlan tried;
            try
            {
                tried = PlanOf(plan, candidate).Validated();
            }
            catch (CoupException)
            {
                // A smaller cluster some fault cannot take (amnesia under five nodes, a named node gone).
                return false;
            }
            File.Delete(attemptHistory);
            return SimulatedCheck.Run(tried, attemptHistory, cancellation) is { } run
                && SeedResult.AnomaliesOf(run.Results).Contains(kept);
        }

        output.WriteLine($"coup shrink: {recorded.Run.Test} seed {recorded.Run.Seed}, keeping '{kept}'; "
            + $"at most {runsMax} simulator runs");
        output.WriteLine($"  from: {original}");
        if (!Reproduces(original))
        {
            throw CoupException.Usage($"the run's faults, written as a timeline, no longer show '{kept}' in this "
                + "build's simulator (was it recorded by another version of Coup?); nothing to shrink");
        }
        var shrinker = new Shrinker(Reproduces, runsMax, line => output.WriteLine($"  {line}"));
        var smallest = shrinker.Shrink(original, cancellation);
        Directory.Delete(attempts, recursive: true);
        output.WriteLine($"  to:   {smallest} ({shrinker.Runs} runs{(cancellation.IsCancellationRequested
            ? ", interrupted: the smallest so far" : "")})");

        var runner = new Runner(PlanOf(plan, smallest), output);
        var exit = await runner.RunAsync(CancellationToken.None);
        var timeline = Path.Combine(runner.RunDirectory!, TimelineFile);
        File.WriteAllText(timeline, TimelineWriter.ToYaml(TimelineWriter.FromTracks(smallest.Tracks)));
        output.WriteLine($"timeline: {timeline}");
        output.WriteLine($"replay in containers: ./coup replay {runner.RunDirectory} --runtime docker");
        return cancellation.IsCancellationRequested ? ExitCodes.Interrupted : exit;
    }

    /// <summary>The original run's plan with the candidate's faults (as a timeline), size, clients and time.</summary>
    public static RunPlan PlanOf(RunPlan plan, ShrinkCandidate candidate) => plan with
    {
        Nemesis = [],
        Timeline = TimelineWriter.ToCompactJson(TimelineWriter.FromTracks(candidate.Tracks)),
        Nodes = candidate.Nodes,
        Clients = candidate.Clients,
        TimeLimitS = candidate.TimeLimitS,
    };
}
