using Coup.Harness.Docker;
using Coup.Harness.Sim;
using Coup.History;

namespace Coup.Harness.Run;

/// <summary><c>coup run</c>: record a run into the store, then check it and report, from the saved history.</summary>
/// <param name="standing">A matrix's cluster kept between its runs, or null: each run starts its own.</param>
public sealed class Runner(RunPlan plan, TextWriter output, StandingCluster? standing = null)
{
    /// <summary>The run's directory in the store, once it exists (a matrix records it, even for a crash).</summary>
    public string? RunDirectory { get; private set; }

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        // The loop removes the cluster once recorded; this is for a store that cannot be created.
        await using var docker = plan.Runtime == RuntimeKind.Docker
            ? await DockerRuntime.PrepareAsync(plan, output, standing, cancellation)
            : null;
        var startedAt = DateTimeOffset.UtcNow;
        var store = RunStore.Create(plan, startedAt);
        RunDirectory = store.Directory;
        try
        {
            return await RecordAndCheckAsync(docker, store, startedAt, cancellation);
        }
        catch (Exception e) when (e is not (CoupException or OperationCanceledException or HistoryFormatException))
        {
            throw new CrashInRunException(store.Directory, e);
        }
    }

    private async Task<int> RecordAndCheckAsync(
        DockerRuntime? docker, RunStore store, DateTimeOffset startedAt, CancellationToken cancellation)
    {
        output.WriteLine(
            $"coup: {plan.TestName}, seed {plan.Seed}, {plan.Runtime.ToString().ToLowerInvariant()}"
                + $" runtime -> {store.Directory}");
        using (var writer = new HistoryWriter(store.HistoryPath))
        {
            if (docker is null)
            {
                SimulatedRuntime.Record(plan, writer, startedAt, cancellation);
            }
            else
            {
                await new RunLoop(plan, docker).RunAsync(writer, startedAt, store.NodeLogDirectory, cancellation);
            }
        }
        // A run cut short is checked all the same (a second Ctrl-C ends the process); a Ctrl-C
        // that comes while a whole run is being checked stops the check and keeps the history.
        var interruptedWhileRecording = cancellation.IsCancellationRequested;
        var check = Task.Run(() => Verdicts.CheckAndReport(store.Directory, output), CancellationToken.None);
        var stopped = Task.Delay(Timeout.Infinite, cancellation);
        if (!interruptedWhileRecording && await Task.WhenAny(check, stopped) != check)
        {
            throw new CoupException(ExitCodes.Interrupted,
                $"interrupted while checking; the history is kept: coup check {store.Directory}");
        }
        var (summary, results) = await check;
        output.WriteLine($"report: {Path.Combine(store.Directory, "report.html")}");
        output.WriteLine($"reproduce: {plan.Command}");
        return summary.Changes.End?.Reason == "interrupted" ? ExitCodes.Interrupted : Verdicts.ExitCode(results);
    }
}
