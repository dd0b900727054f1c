using Coup.Checkers;

namespace Coup.Harness.Swarm;

/// <summary>What one seed of a swarm found: a line of <c>seeds.jsonl</c>, a few hundred bytes.</summary>
public sealed record SeedResult
{
    public required int Seed { get; init; }
    public required Verdict Verdict { get; init; }
    /// <summary>
    /// The seed's anomalies as <c>checker: kind</c>, each once: the violations of an invalid seed, the
    /// checkers that could not decide of an unknown one (<c>checker: unknown</c>); empty for a valid seed.
    /// </summary>
    public required IReadOnlyList<string> Anomalies { get; init; }
    /// <summary>SHA-256 of the history's bytes: the same seed gives the same history, in any process.</summary>
    public required string HistorySha256 { get; init; }
    public required double DurationS { get; init; }
    /// <summary>Where its history was kept, relative to the swarm's directory; null when it was not.</summary>
    public string? RunDirectory { get; init; }

    /// <summary>The anomalies of <paramref name="results"/> as a swarm groups them.</summary>
    public static IReadOnlyList<string> AnomaliesOf(Results results)
    {
        var failing = results.Checks.Where(c => c.Verdict == results.Verdict && c.Verdict != Verdict.Valid);
        return
        [
            .. failing.SelectMany(c => c.Verdict == Verdict.Unknown ? [$"{c.Checker}: unknown"]
                : c.Anomalies.Where(a => a.Violation).Select(a => $"{c.Checker}: {a.Kind}")
                    .DefaultIfEmpty($"{c.Checker}: invalid")).Distinct(),
        ];
    }
}
