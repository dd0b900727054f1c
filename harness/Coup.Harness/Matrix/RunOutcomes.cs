using Coup.Checkers;
using Coup.Harness.Compare;
using Coup.Reports.Matrix;

namespace Coup.Harness.Matrix;

/// <summary>What one finished run of a cell tells the matrix, read from its results and exit code.</summary>
public static class RunOutcomes
{
    /// <param name="results">The run's results.json, or null when the run ended before it was written.</param>
    /// <param name="cost">
    /// The simulator's leader-kill election with the run's algorithm, size and seed, if measured.
    /// </param>
    public static RunOutcome From(int seed, string runDirectory, int exitCode, double durationS, string reproduce,
        Results? results, ElectionCost? cost)
    {
        var failovers = results?.Failovers.ToList() ?? [];
        return new RunOutcome
        {
            Seed = seed,
            RunDirectory = runDirectory,
            Verdict = VerdictOf(exitCode, results),
            ExitCode = exitCode,
            DurationS = durationS,
            Reproduce = reproduce,
            Checks = results?.Checks.ToDictionary(c => c.Checker, c => c.Verdict) ?? [],
            FailoverMs = [.. failovers.Where(f => f.ToMajorityLeaderNs is not null)
                .Select(f => f.ToMajorityLeaderNs!.Value / 1e6)],
            FailoversWithoutLeader = failovers.Count(f => f.ToMajorityLeaderNs is null),
            SplitBrainMs = Figure(results, "split-brain", "splitBrainMs"),
            UnavailableMs = Figure(results, "availability", "unavailableMs"),
            MessagesPerElection = cost?.Messages,
            RoundsPerElection = cost?.Rounds,
        };
    }

    /// <summary>
    /// The checkers' verdict when they gave the exit code; a run that crashed, was interrupted or met an
    /// environment error is unknown, unless what it recorded already proves a violation.
    /// </summary>
    public static Verdict VerdictOf(int exitCode, Results? results) => exitCode switch
    {
        ExitCodes.Valid or ExitCodes.Invalid or ExitCodes.Unknown => results?.Verdict ?? exitCode switch
        {
            ExitCodes.Valid => Verdict.Valid,
            ExitCodes.Invalid => Verdict.Invalid,
            _ => Verdict.Unknown,
        },
        _ => results?.Verdict == Verdict.Invalid ? Verdict.Invalid : Verdict.Unknown,
    };

    private static double Figure(Results? results, string checker, string figure) =>
        results?.Checks.FirstOrDefault(c => c.Checker == checker)?.Figures.GetValueOrDefault(figure) ?? 0;
}
