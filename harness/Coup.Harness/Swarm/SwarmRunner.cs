using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Coup.Checkers;
using Coup.Harness.Cli;
using Coup.Harness.Matrix;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.History;

namespace Coup.Harness.Swarm;

/// <summary>
/// <c>coup swarm</c>: each seed's drawn run (<see cref="SwarmDraw"/>) in the simulator, several at once,
/// each checked by the same checkers as <c>coup run</c>. The safety phase is the drawn time limit of
/// faults; the liveness phase is the run's quiet period after the final heal, judged by the liveness
/// checker. Memory holds a few bytes per failing seed; disk a line per seed (<c>seeds.jsonl</c>) and the
/// history, plan and results of each failing seed (of every seed with <see cref="SwarmOptions.KeepAll"/>).
/// </summary>
/// <remarks>
/// Every simulated run starts its clock at the Unix epoch, not at the wall-clock time, so a seed's
/// history is the same bytes whatever process, order or parallelism ran it. Simulated runs share no
/// mutable state: each has its own cluster, clock and random sources.
/// </remarks>
public sealed class SwarmRunner(SwarmOptions options, IMatrixProgress progress, TextWriter errors)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, (Verdict Verdict, List<int> Seeds)> _groups =
        new(StringComparer.Ordinal);
    private int _valid;
    private int _invalid;
    private int _unknown;

    /// <summary>
    /// Runs the seeds into <c>&lt;store&gt;/swarm/&lt;algorithm&gt;/&lt;time&gt;/</c>; returns its summary.
    /// </summary>
    public async Task<(SwarmSummary Summary, string Directory)> RunAsync(CancellationToken cancellation)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        var directory = Path.Combine(Path.GetFullPath(options.Store), "swarm", options.Algorithm, stamp);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (Inputs.IsPathProblem(e))
        {
            throw CoupException.Environment(
                $"cannot write the swarm's store at {directory}: {e.Message}; "
                + "pass --store with a writable directory", e);
        }
        var watch = Stopwatch.StartNew();
        var tally = new MatrixTally(
            [new TallyPart(options.Algorithm, options.Seeds, RuntimeKind.Sim)], options.Parallel);
        var taken = 0L;
        using (var seedLines = new StreamWriter(Path.Combine(directory, SwarmSummary.SeedsFile)) { NewLine = "\n" })
        {
            void Work()
            {
                while (!cancellation.IsCancellationRequested)
                {
                    var index = Interlocked.Increment(ref taken) - 1;
                    if (index >= options.Seeds)
                    {
                        return;
                    }
                    var seed = (int)(options.FirstSeed + index);
                    lock (_gate)
                    {
                        progress.Starting(options.Algorithm, seed);
                    }
                    if (RunSeed(seed, directory, cancellation) is not { } result)
                    {
                        return;
                    }
                    lock (_gate)
                    {
                        Count(result);
                        seedLines.WriteLine(JsonSerializer.Serialize(result, HistoryJson.Options));
                        var outcome = RunOutcomes.From(seed, result.RunDirectory ?? "", result.Verdict.ExitCode(),
                            result.DurationS, SwarmDraw.Plan(options.Algorithm, seed, options.Store).Command,
                            results: null, cost: null);
                        tally.Finished(options.Algorithm, outcome);
                        progress.Finished(options.Algorithm, outcome);
                    }
                }
            }
            await progress.ShowAsync(tally, async () =>
            {
                var workers = Enumerable.Range(0, options.Parallel)
                    .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None,
                        TaskCreationOptions.LongRunning, TaskScheduler.Default))
                    .ToList();
                await Task.WhenAll(workers);
                return 0;
            });
        }
        var summary = Summary(watch.Elapsed.TotalSeconds, cancellation.IsCancellationRequested);
        summary.Write(directory);
        return (summary, directory);
    }

    /// <summary>One seed, recorded, checked and kept if it failed; null when interrupted before its end.</summary>
    private SeedResult? RunSeed(int seed, string swarmDirectory, CancellationToken cancellation)
    {
        var plan = SwarmDraw.Plan(options.Algorithm, seed, options.Store).Validated();
        var relative = Path.Combine("seeds", seed.ToString(CultureInfo.InvariantCulture));
        var runDirectory = Path.Combine(swarmDirectory, relative);
        var historyPath = Path.Combine(runDirectory, RunStore.HistoryFile);
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(runDirectory);
        try
        {
            if (SimulatedCheck.Run(plan, historyPath, cancellation) is not { } run)
            {
                Directory.Delete(runDirectory, recursive: true);
                return null;
            }
            var (results, bytes) = run;
            var keep = options.KeepAll || results.Verdict != Verdict.Valid;
            if (keep)
            {
                RunStore.WritePlan(runDirectory, plan);
                ResultsFile.Write(Path.Combine(runDirectory, RunStore.ResultsFile), results);
            }
            else
            {
                Directory.Delete(runDirectory, recursive: true);
            }
            return new SeedResult
            {
                Seed = seed,
                Verdict = results.Verdict,
                Anomalies = SeedResult.AnomaliesOf(results),
                HistorySha256 = Sha256(bytes),
                DurationS = watch.Elapsed.TotalSeconds,
                RunDirectory = keep ? relative : null,
            };
        }
        catch (HistoryFormatException e)
        {
            // As coup run and coup check say of a history the reader refuses: unknown, the history kept.
            lock (_gate)
            {
                progress.Note($"seed {seed}: {e.Message}");
            }
            return Failed(seed, "history: refused by the reader", historyPath, watch, relative);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // A bug in Coup, not a verdict: the seed is unknown and its stack trace kept beside its history.
            lock (_gate)
            {
                CrashLog.Write(new CrashInRunException(runDirectory, e), plan.Command.Split(' ').Skip(1).ToList(),
                    options.Store, errors);
            }
            return Failed(seed, "coup: crash", historyPath, watch, relative);
        }
    }

    /// <summary>A seed that could not be judged: unknown, its directory kept for a look.</summary>
    private static SeedResult Failed(int seed, string anomaly, string historyPath, Stopwatch watch, string relative) =>
        new()
        {
            Seed = seed,
            Verdict = Verdict.Unknown,
            Anomalies = [anomaly],
            HistorySha256 = File.Exists(historyPath) ? Sha256(File.ReadAllBytes(historyPath)) : "",
            DurationS = watch.Elapsed.TotalSeconds,
            RunDirectory = relative,
        };

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void Count(SeedResult result)
    {
        _ = result.Verdict switch
        {
            Verdict.Valid => ++_valid,
            Verdict.Invalid => ++_invalid,
            _ => ++_unknown,
        };
        foreach (var anomaly in result.Anomalies)
        {
            if (!_groups.TryGetValue(anomaly, out var group))
            {
                _groups[anomaly] = group = (result.Verdict, []);
            }
            group.Seeds.Add(result.Seed);
        }
    }

    private SwarmSummary Summary(double elapsedS, bool interrupted)
    {
        var done = _valid + _invalid + _unknown;
        return new SwarmSummary
        {
            Algorithm = options.Algorithm,
            Command = options.Command,
            FirstSeed = options.FirstSeed,
            SeedsAsked = options.Seeds,
            SeedsDone = done,
            Parallel = options.Parallel,
            Interrupted = interrupted,
            Valid = _valid,
            Invalid = _invalid,
            Unknown = _unknown,
            ElapsedS = elapsedS,
            SeedsPerMinute = done / Math.Max(elapsedS / 60, 1e-9),
            Draw = SwarmDraw.Ranges,
            // Invalid groups first, the largest first; each group's seeds in order.
            Groups = [.. _groups
                .OrderBy(g => g.Value.Verdict == Verdict.Invalid ? 0 : 1)
                .ThenByDescending(g => g.Value.Seeds.Count)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Group(g.Key, g.Value.Verdict, [.. g.Value.Seeds.Order()]))],
        };
    }

    private AnomalyGroup Group(string anomaly, Verdict verdict, IReadOnlyList<int> seeds) => new()
    {
        Anomaly = anomaly,
        Verdict = verdict,
        Seeds = seeds,
        Examples = [.. seeds.Take(SwarmSummary.ExamplesMax)
            .Select(s => new SeedExample(s, SwarmDraw.Plan(options.Algorithm, s, options.Store).Command))],
    };
}
