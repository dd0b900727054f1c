using Coup.Checkers.History;
using Coup.Harness.Docker;
using Coup.Harness.Sim;

namespace Coup.Harness.Run;

/// <summary><c>coup run</c>: record a run into the store, then check it and report, from the saved history.</summary>
public sealed class Runner(RunPlan plan, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        using var docker = plan.Runtime == RuntimeKind.Docker ? await DockerRun.PrepareAsync(plan, output, cancellation) : null;
        var startedAt = DateTimeOffset.UtcNow;
        var store = RunStore.Create(plan, startedAt);
        output.WriteLine($"coup: {plan.TestName}, seed {plan.Seed}, {plan.Runtime.ToString().ToLowerInvariant()} runtime -> {store.Directory}");
        using (var writer = new HistoryWriter(store.HistoryPath))
        {
            if (docker is null)
            {
                new SimulatedRun(plan).Execute(writer, startedAt, cancellation);
            }
            else
            {
                await docker.ExecuteAsync(store, writer, startedAt, cancellation);
            }
        }
        var (history, results) = Verdicts.CheckAndReport(store.Directory, output);
        output.WriteLine($"report: {Path.Combine(store.Directory, "report.html")}");
        output.WriteLine($"reproduce: {plan.Command}");
        return history.End?.Reason == "interrupted" ? ExitCodes.Interrupted : Verdicts.ExitCode(results);
    }
}
