using System.Xml.Linq;
using Coup.Checkers;
using Coup.Faults;
using Coup.Reports.Matrix;

namespace Coup.Harness.Tests.Matrix;

/// <summary>The comparison page, the alarm, the matrix JUnit and the store index over real simulator runs.</summary>
public sealed class MatrixFromSimulatedRunsTests(SimulatedMatrix sim) : IClassFixture<SimulatedMatrix>
{
    private static readonly int[] FirstThree = [1, 2, 3];
    private static readonly int[] LastThree = [4, 5, 6];

    private static readonly DateTimeOffset Tonight =
        DateTimeOffset.Parse("2026-11-30T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private MatrixResult Baseline() => SimulatedMatrix.Result("2026-11-29T02:00:00Z",
        sim.Cell("raft", FaultKind.Kill, FirstThree),
        sim.Cell("zab", FaultKind.Kill, [1, 2]),
        sim.Cell("raft", FaultKind.Amnesia, [1, 2]));

    [Fact]
    public void An_unchanged_rerun_against_its_own_baseline_is_not_flagged()
    {
        var baseline = Baseline();
        var rerun = Baseline() with { StartedAt = Tonight, FinishedAt = Tonight.AddMinutes(3) };

        var alarm = RegressionAlarm.Compare(rerun, baseline);

        Assert.Empty(alarm.Regressions);
        Assert.DoesNotContain(alarm.Findings, f => f.Kind == FindingKind.NewUnknown);
        Assert.Equal(0, RegressionAlarm.ExitCode(rerun, alarm));
    }

    [Fact]
    public void Other_seeds_of_the_same_algorithm_are_run_to_run_noise_not_a_regression()
    {
        var baseline = SimulatedMatrix.Result("2026-11-29T02:00:00Z", sim.Cell("raft", FaultKind.Kill, FirstThree));
        var tonight = SimulatedMatrix.Result("2026-11-30T02:00:00Z", sim.Cell("raft", FaultKind.Kill, LastThree));

        var alarm = RegressionAlarm.Compare(tonight, baseline);

        var failover = alarm.Cells.Single().Failover!;
        Assert.NotNull(failover.PValue);
        Assert.Empty(alarm.Regressions);
    }

    [Fact]
    public void A_broken_variant_substituted_for_a_valid_cell_is_flagged_became_invalid_with_exit_1()
    {
        var baseline = Baseline();
        var tonight = SimulatedMatrix.Result("2026-11-30T02:00:00Z",
            sim.Cell("raft", FaultKind.Kill, FirstThree),
            sim.Cell("zab", FaultKind.Kill, [1, 2]),
            sim.Cell("raft", FaultKind.Amnesia, [1, 2], ranAlgorithm: "raft-forgets-vote"));
        Assert.Equal(Verdict.Valid, baseline.Cells.Single(c => c.Id == "raft/amnesia/sim/5").Verdict);

        var alarm = RegressionAlarm.Compare(tonight, baseline);

        var regression = Assert.Single(alarm.Regressions);
        Assert.Equal(("raft/amnesia/sim/5", FindingKind.BecameInvalid), (regression.CellId, regression.Kind));
        Assert.Equal(1, RegressionAlarm.ExitCode(tonight, alarm));
        Assert.Contains("became-invalid", ComparisonPage.Render(tonight, alarm));
    }

    [Fact]
    public void Real_failover_samples_of_other_seeds_made_40_percent_slower_are_flagged()
    {
        var baseline = SimulatedMatrix.Result("2026-11-29T02:00:00Z", sim.Cell("raft", FaultKind.Kill, FirstThree));
        var slower = sim.Cell("raft", FaultKind.Kill, LastThree);
        var slowerRuns = slower.Runs.Select(r => r with { FailoverMs = r.FailoverMs.Select(ms => ms * 1.4).ToList() });
        slower = slower with { Runs = slowerRuns.ToList() };
        var tonight = SimulatedMatrix.Result("2026-11-30T02:00:00Z", slower);

        var alarm = RegressionAlarm.Compare(tonight, baseline);

        var regression = Assert.Single(alarm.Regressions);
        Assert.Equal(FindingKind.SlowerFailover, regression.Kind);
        Assert.Equal(1, RegressionAlarm.ExitCode(tonight, alarm));
    }

    [Fact]
    public void The_comparison_page_links_every_run_report_that_exists_and_embeds_a_plot_per_nemesis()
    {
        var tonight = Baseline() with { StartedAt = Tonight, FinishedAt = Tonight.AddMinutes(3) };

        var page = ComparisonPage.Render(tonight, RegressionAlarm.Compare(tonight, Baseline()));

        foreach (var run in tonight.Cells.SelectMany(c => c.Runs))
        {
            Assert.Contains($"href=\"{run.RunDirectory}/report.html\"", page);
            Assert.True(File.Exists(Path.Combine(sim.Store.Root, run.RunDirectory, "report.html")), run.RunDirectory);
        }
        var svgs = System.Text.RegularExpressions.Regex.Matches(page, "data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)")
            .Select(m => XDocument.Parse(
                System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)))).ToList();
        Assert.Equal(2, svgs.Count);
        Assert.All(svgs, svg => Assert.Equal("svg", svg.Root!.Name.LocalName));
        Assert.Contains("alt=\"failover latency under kill\"", page);
    }

    [Fact]
    public void The_matrix_junit_has_a_case_per_real_run_with_its_measured_duration()
    {
        var result = Baseline();

        var document = MatrixJUnit.Build(result, alarm: null);

        var cases = document.Descendants("testcase").ToList();
        Assert.Equal(result.Cells.Sum(c => c.Runs.Count), cases.Count);
        Assert.All(cases, c => Assert.True(
            double.Parse((string)c.Attribute("time")!, System.Globalization.CultureInfo.InvariantCulture) > 0));
    }

    [Fact]
    public void The_store_index_lists_every_recorded_run_newest_first_and_trends_the_nights_kept()
    {
        StoreIndex.KeepNight(sim.Store.Root, Baseline());
        StoreIndex.KeepNight(sim.Store.Root,
            Baseline() with { StartedAt = Tonight, FinishedAt = Tonight.AddMinutes(3) });

        var index = File.ReadAllText(StoreIndex.Write(sim.Store.Root));

        var runs = StoredRuns.Find(sim.Store.Root);
        Assert.Equal(12, runs.Count);
        Assert.Equal(runs.OrderByDescending(r => r.StartedAt).Select(r => r.Directory), runs.Select(r => r.Directory));
        Assert.All(runs, r => Assert.Contains($"href=\"{r.Directory}/report.html\"", index));
        Assert.All(runs, r =>
            Assert.True(r.DurationS > 0 && r.Verdict is not null && r.StartedAt is not null, r.Directory));
        Assert.Equal(["2026-11-29", "2026-11-30"], StoreIndex.Nights(sim.Store.Root).Select(n => n.Date));
        var trendSvgBase64 = System.Text.RegularExpressions.Regex
            .Match(index, "data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)").Groups[1].Value;
        Assert.Contains("Failover latency per target, night by night",
            System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(trendSvgBase64)));
    }
}
