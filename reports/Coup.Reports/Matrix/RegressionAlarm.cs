using System.Globalization;
using Coup.Checkers;

namespace Coup.Reports.Matrix;

/// <summary>What the alarm found about one cell, or about the matrix as a whole.</summary>
public enum FindingKind
{
    /// <summary>A regression: the cell was not invalid in the baseline and is invalid tonight.</summary>
    BecameInvalid,
    /// <summary>A regression: failover latency is larger beyond what run-to-run noise explains.</summary>
    SlowerFailover,
    /// <summary>The cell is unknown tonight and was not in the baseline (its exit code is already 2).</summary>
    NewUnknown,
    /// <summary>
    /// Too few runs or failovers on a side for the test to say anything: neither pass nor regression.
    /// </summary>
    NotEnoughRuns,
    /// <summary>The baseline has no such cell (the plan grew): nothing to compare.</summary>
    NoBaselineCell,
    /// <summary>The baseline had this cell and tonight does not (the plan shrank).</summary>
    CellGone,
}

public sealed record Finding(string CellId, FindingKind Kind, string Detail)
{
    public bool IsRegression => Kind is FindingKind.BecameInvalid or FindingKind.SlowerFailover;

    /// <summary>The kind as the reports print it, e.g. <c>became-invalid</c>.</summary>
    public string KindName => Kind switch
    {
        FindingKind.BecameInvalid => "became-invalid",
        FindingKind.SlowerFailover => "slower-failover",
        FindingKind.NewUnknown => "new-unknown",
        FindingKind.NotEnoughRuns => "not-enough-runs",
        FindingKind.NoBaselineCell => "no-baseline-cell",
        _ => "cell-gone",
    };
}

/// <summary>
/// One cell's failover latency tonight against the baseline; <see cref="PValue"/> null when not tested.
/// </summary>
public sealed record FailoverComparison
{
    public required FailoverSample Baseline { get; init; }
    public required FailoverSample Tonight { get; init; }
    /// <summary>
    /// The one-sided Mann-Whitney p-value of "tonight is slower"; null when a side had too few samples.
    /// </summary>
    public double? PValue { get; init; }
    /// <summary>The Hodges-Lehmann shift, tonight minus baseline, in ms; null when not tested.</summary>
    public double? ShiftMs { get; init; }
    public bool Slower => PValue < RegressionAlarm.Alpha;
}

/// <summary>A cell's failover latencies pooled over its runs.</summary>
public sealed record FailoverSample(int Runs, IReadOnlyList<double> SortedMs)
{
    public static FailoverSample Of(CellResult cell) =>
        new(cell.Runs.Count(r => r.FailoverMs.Count > 0), cell.Runs.SelectMany(r => r.FailoverMs).Order().ToList());

    public double? Percentile(double percentile) =>
        SortedMs.Count == 0 ? null : Percentiles.NearestRank(SortedMs, percentile);
}

/// <summary>
/// A cell of tonight's matrix beside the same cell of the baseline (null when the baseline lacks it).
/// </summary>
public sealed record CellComparison
{
    public required CellResult Tonight { get; init; }
    public CellResult? Baseline { get; init; }
    public FailoverComparison? Failover { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
}

/// <summary>The alarm's answer: every cell compared, and the findings in cell order.</summary>
public sealed record Alarm
{
    public required MatrixResult Baseline { get; init; }
    public required IReadOnlyList<CellComparison> Cells { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }

    public IEnumerable<Finding> Regressions => Findings.Where(f => f.IsRegression);

    public CellComparison? For(string cellId) => Cells.FirstOrDefault(c => c.Tonight.Id == cellId);
}

/// <summary>
/// Tonight's matrix against a baseline (a previous merged result), cell by cell, matched by
/// <see cref="CellResult.Id"/>. Pure: the same two results give the same alarm. docs/nightly.md states the
/// test and its parameters.
/// </summary>
public static class RegressionAlarm
{
    /// <summary>The one-sided test's level: one false alarm in a hundred cells that did not change.</summary>
    public const double Alpha = 0.01;
    /// <summary>Runs with at least one failover needed on each side before latency is compared.</summary>
    public const int RunsMin = 2;
    /// <summary>Failover samples needed on each side; below this the normal approximation is not trusted.</summary>
    public const int SamplesMin = 8;

    public static Alarm Compare(MatrixResult tonight, MatrixResult baseline)
    {
        var before = baseline.Cells.ToDictionary(c => c.Id);
        var cells = tonight.Cells.Select(cell => CompareCell(cell, before.GetValueOrDefault(cell.Id))).ToList();
        var tonightIds = tonight.Cells.Select(c => c.Id).ToHashSet();
        var gone = baseline.Cells.Where(c => !tonightIds.Contains(c.Id))
            .Select(c => new Finding(c.Id, FindingKind.CellGone, "in the baseline, not in tonight's matrix"));
        return new Alarm
        {
            Baseline = baseline,
            Cells = cells,
            Findings = cells.SelectMany(c => c.Findings).Concat(gone).ToList(),
        };
    }

    /// <summary>
    /// The merged result's exit code: 1 on any invalid cell or regression, 2 when the only trouble is
    /// unknown cells, 0 otherwise.
    /// </summary>
    public static int ExitCode(MatrixResult result, Alarm? alarm) =>
        result.Verdict == Verdict.Invalid || (alarm?.Regressions.Any() ?? false) ? 1
        : result.Verdict == Verdict.Unknown ? 2
        : 0;

    private static CellComparison CompareCell(CellResult tonight, CellResult? baseline)
    {
        if (baseline is null)
        {
            var findings = new List<Finding> { new(tonight.Id, FindingKind.NoBaselineCell, "not in the baseline") };
            if (tonight.Verdict == Verdict.Unknown)
            {
                findings.Add(new(tonight.Id, FindingKind.NewUnknown,
                    $"unknown ({UnknownRuns(tonight)}), not in the baseline"));
            }
            return new CellComparison { Tonight = tonight, Findings = findings };
        }
        var found = new List<Finding>();
        var was = ReportPage.Name(baseline.Verdict);
        if (tonight.Verdict == Verdict.Invalid && baseline.Verdict != Verdict.Invalid)
        {
            var seeds = tonight.Runs.Where(r => r.Verdict == Verdict.Invalid)
                .Select(r => r.Seed.ToString(CultureInfo.InvariantCulture));
            found.Add(new(tonight.Id, FindingKind.BecameInvalid,
                $"was {was}, now invalid (seeds {string.Join(", ", seeds)})"));
        }
        else if (tonight.Verdict == Verdict.Unknown && baseline.Verdict != Verdict.Unknown)
        {
            found.Add(new(tonight.Id, FindingKind.NewUnknown, $"was {was}, now unknown ({UnknownRuns(tonight)})"));
        }
        var failover = CompareFailover(FailoverSample.Of(baseline), FailoverSample.Of(tonight));
        if (failover.PValue is null)
        {
            found.Add(new(tonight.Id, FindingKind.NotEnoughRuns, NotEnoughDetail(failover)));
        }
        else if (failover.Slower)
        {
            found.Add(new(tonight.Id, FindingKind.SlowerFailover, SlowerDetail(failover)));
        }
        return new CellComparison { Tonight = tonight, Baseline = baseline, Failover = failover, Findings = found };
    }

    public static FailoverComparison CompareFailover(FailoverSample baseline, FailoverSample tonight)
    {
        var comparison = new FailoverComparison { Baseline = baseline, Tonight = tonight };
        if (!Enough(baseline) || !Enough(tonight))
        {
            return comparison;
        }
        var (_, pValue) = MannWhitney.LaterIsLarger(baseline.SortedMs, tonight.SortedMs);
        return comparison with { PValue = pValue, ShiftMs = MannWhitney.Shift(baseline.SortedMs, tonight.SortedMs) };
    }

    private static bool Enough(FailoverSample sample) => sample.Runs >= RunsMin && sample.SortedMs.Count >= SamplesMin;

    private static string UnknownRuns(CellResult cell)
    {
        var seeds = cell.Runs.Where(r => r.Verdict == Verdict.Unknown)
            .Select(r => r.Seed.ToString(CultureInfo.InvariantCulture));
        return $"seeds {string.Join(", ", seeds)}";
    }

    private static string NotEnoughDetail(FailoverComparison failover) => string.Create(CultureInfo.InvariantCulture,
        $"not enough runs to compare failover latency: {Describe(failover.Baseline)} in the baseline, " +
        $"{Describe(failover.Tonight)} tonight; the test needs " +
        $"{RunsMin} runs and {SamplesMin} failovers on each side");

    private static string Describe(FailoverSample sample) => string.Create(CultureInfo.InvariantCulture,
        $"{sample.SortedMs.Count} failovers from {sample.Runs} runs");

    private static string SlowerDetail(FailoverComparison failover) => string.Create(CultureInfo.InvariantCulture,
        $"failover slower: p50 {failover.Baseline.Percentile(50):0} -> {failover.Tonight.Percentile(50):0} ms, " +
        $"p90 {failover.Baseline.Percentile(90):0} -> {failover.Tonight.Percentile(90):0} ms, " +
        $"shift {failover.ShiftMs:+0;-0} ms " +
        $"(one-sided Mann-Whitney p = {failover.PValue:0.####} < {Alpha}, " +
        $"n = {failover.Baseline.SortedMs.Count} / {failover.Tonight.SortedMs.Count})");
}
