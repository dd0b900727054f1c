using System.Diagnostics;
using Coup.Checkers;
using Coup.Harness.Cli;
using Coup.Harness.Compare;
using Coup.Harness.Docker;
using Coup.Harness.Plans;
using Coup.Harness.Run;
using Coup.History;
using Coup.Reports.Matrix;

namespace Coup.Harness.Matrix;

/// <summary>
/// <c>coup matrix</c>: every run of a shard's cells with the same code as <c>coup run</c>, each stored
/// under the store as usual, and <c>matrix.json</c> rewritten after every run, so an interruption or a
/// crash of one run loses nothing already recorded. Runs of Coup's nodes on containers share one
/// cluster, reset between them (<see cref="StandingCluster"/>).
/// </summary>
public sealed class MatrixRunner(Plan plan, Shard shard, string storeRoot, IMatrixProgress progress, TextWriter errors)
{
    private readonly Dictionary<(string Algorithm, string Settings, int Nodes, int Seed), ElectionCost?> _costs = [];

    /// <summary>The result of the runs that finished, and whether an interruption stopped the matrix.</summary>
    public async Task<(MatrixResult Result, bool Interrupted)> RunAsync(
        IReadOnlyList<PlanCell> cells, CancellationToken cancellation)
    {
        var root = Path.GetFullPath(storeRoot);
        var startedAt = DateTimeOffset.UtcNow;
        var outcomes = new Dictionary<PlanCell, List<RunOutcome>>();
        var tally = new MatrixTally(cells);
        await using var standing = new StandingCluster();
        var interrupted = await progress.ShowAsync(tally, async () =>
        {
            foreach (var (cell, seed) in from c in cells from s in c.Seeds select (c, s))
            {
                if (cancellation.IsCancellationRequested)
                {
                    return true;
                }
                progress.Starting(cell.Id, seed);
                var outcome = await RunOneAsync(cell, seed, root, standing, cancellation);
                if (outcome.ExitCode is not (ExitCodes.Valid or ExitCodes.Invalid or ExitCodes.Unknown))
                {
                    // A run that crashed, met an environment error or was interrupted leaves no cluster to trust.
                    await standing.DiscardAsync();
                }
                (outcomes.TryGetValue(cell, out var runs) ? runs : outcomes[cell] = []).Add(outcome);
                tally.Finished(cell.Id, outcome);
                progress.Finished(cell.Id, outcome);
                Save(Result(outcomes, startedAt), root);
                if (outcome.ExitCode == ExitCodes.Interrupted)
                {
                    return true;
                }
            }
            return cancellation.IsCancellationRequested;
        });
        var result = Result(outcomes, startedAt);
        Save(result, root);
        return (result, interrupted);
    }

    /// <summary>Written beside and renamed over, so a reader never sees half a file, even after a SIGKILL.</summary>
    private static void Save(MatrixResult result, string root)
    {
        var path = Path.Combine(root, MatrixResult.FileName);
        result.Write(path + ".partial");
        File.Move(path + ".partial", path, overwrite: true);
    }

    private MatrixResult Result(Dictionary<PlanCell, List<RunOutcome>> outcomes, DateTimeOffset startedAt) => new()
    {
        Plan = plan.Name,
        PlanSha256 = plan.Sha256,
        Shards = [shard.ToString()],
        StartedAt = startedAt,
        FinishedAt = DateTimeOffset.UtcNow,
        Cells = [.. outcomes.OrderBy(o => o.Key.Id, StringComparer.Ordinal).Select(o => new CellResult
        {
            Id = o.Key.Id,
            Target = o.Key.Target.Name,
            IsSystem = o.Key.Target.IsSystem,
            Nemesis = o.Key.Nemesis.TimelineName is { } timeline ? [$"timeline:{timeline}"]
                : [.. o.Key.Nemesis.Choices.Select(k => k.Name)],
            Runtime = PlanCell.RuntimeName(o.Key.Runtime),
            Nodes = o.Key.Nodes,
            Runs = [.. o.Value.OrderBy(r => r.Seed)],
        })],
    };

    private async Task<RunOutcome> RunOneAsync(
        PlanCell cell, int seed, string root, StandingCluster standing, CancellationToken cancellation)
    {
        var run = cell.RunPlan(plan, seed, root).Validated();
        var runner = new Runner(run, TextWriter.Null, standing);
        var watch = Stopwatch.StartNew();
        string? directory = null;
        int exitCode;
        try
        {
            exitCode = await runner.RunAsync(cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            exitCode = ExitCodes.Interrupted;
        }
        catch (CoupException e)
        {
            exitCode = e.ExitCode;
            progress.Note($"{cell.Id} seed {seed}: {e.Message}");
        }
        catch (HistoryFormatException e)
        {
            exitCode = ExitCodes.Unknown;
            progress.Note($"{cell.Id} seed {seed}: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            directory = (e as CrashInRunException)?.RunDirectory;
            exitCode = CrashLog.Write(e, run.Command.Split(' ').Skip(1).ToList(), root, errors);
        }
        directory ??= runner.RunDirectory;
        var duration = watch.Elapsed.TotalSeconds;
        var results = directory is null ? null : ResultsOf(directory);
        var cost = cell.Runtime == RuntimeKind.Sim && !cell.Target.IsSystem ? Cost(run) : null;
        return RunOutcomes.From(seed, directory is null ? "" : Path.GetRelativePath(root, directory), exitCode,
            duration, run.Command, results, cost);
    }

    private static Results? ResultsOf(string directory)
    {
        var path = Path.Combine(directory, RunStore.ResultsFile);
        try
        {
            return File.Exists(path) ? ResultsFile.Read(path) : null;
        }
        catch (HistoryFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// What <c>coup compare</c> measures: a leader kill's election, with the algorithm that ran, its
    /// settings and the run's seed.
    /// </summary>
    private ElectionCost? Cost(RunPlan run)
    {
        var key = (run.Algorithm, string.Join(",", run.Settings), run.Nodes, run.Seed);
        if (!_costs.TryGetValue(key, out var cost))
        {
            _costs[key] = cost =
                ElectionCosts.Measure(run.Algorithm, run.Nodes, run.Seed, run.AlgorithmSettings.Cluster);
        }
        return cost;
    }
}
