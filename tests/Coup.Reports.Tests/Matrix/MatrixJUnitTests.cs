using System.Xml.Linq;
using Coup.Checkers;
using Coup.Reports.Matrix;
using static Coup.Reports.Tests.Matrix.Matrices;

namespace Coup.Reports.Tests.Matrix;

public class MatrixJUnitTests
{
    private static readonly MatrixResult Tonight = Of(
        Cell("raft", "kill", Run(1, Verdict.Valid, 300, 320), Run(2, Verdict.Invalid, 310)),
        Cell("zab", "kill", Run(1, Verdict.Unknown), Run(2, Verdict.Valid, 400)));

    [Fact]
    public void Each_cell_is_a_suite_and_each_run_a_case_named_by_cell_and_seed()
    {
        var document = MatrixJUnit.Build(Tonight, alarm: null);

        var suites = document.Root!.Elements("testsuite").ToList();
        Assert.Equal(["raft/kill/sim/5", "zab/kill/sim/5"], suites.Select(s => (string)s.Attribute("name")!));
        var names = document.Descendants("testcase").Select(c => (string)c.Attribute("name")!).ToList();
        Assert.Equal(
            ["raft/kill/sim/5 seed 1", "raft/kill/sim/5 seed 2", "zab/kill/sim/5 seed 1", "zab/kill/sim/5 seed 2"],
            names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void A_case_carries_its_real_duration_seed_reproduce_command_and_report_path()
    {
        var document = MatrixJUnit.Build(Tonight, alarm: null);

        var seedTwo = document.Descendants("testcase")
            .Single(c => (string)c.Attribute("name")! == "raft/kill/sim/5 seed 2");
        Assert.Equal("32.000", (string)seedTwo.Attribute("time")!);
        var properties = seedTwo.Element("properties")!.Elements("property")
            .ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.Equal("2", properties["seed"]);
        Assert.Equal("./coup run --algorithm raft --seed 2 --runtime sim", properties["reproduce"]);
        Assert.Equal("runs/seed-2/report.html", properties["report"]);
    }

    [Fact]
    public void Invalid_runs_are_failures_and_unknown_runs_errors()
    {
        var document = MatrixJUnit.Build(Tonight, alarm: null);

        Assert.Equal("1", (string)document.Root!.Attribute("failures")!);
        Assert.Equal("1", (string)document.Root!.Attribute("errors")!);
        Assert.Equal("invalid", (string)document.Descendants("failure").Single().Attribute("type")!);
        Assert.Equal("unknown", (string)document.Descendants("error").Single().Attribute("type")!);
        Assert.Equal("raft/kill/sim/5 seed 2",
            (string)document.Descendants("failure").Single().Parent!.Attribute("name")!);
    }

    [Fact]
    public void Regressions_are_failures_of_a_regressions_suite_and_too_few_runs_skipped()
    {
        double[] steady = [300, 310, 320, 290, 305];
        var baseline = Of(
            Cell("bully", "partition", Run(1, Verdict.Valid, steady), Run(2, Verdict.Valid, steady)),
            Cell("ring", "kill", Run(1, Verdict.Valid)));
        var tonight = Of(
            Cell("bully", "partition", Run(1, Verdict.Valid, steady), Run(2, Verdict.Invalid, steady)),
            Cell("ring", "kill", Run(1, Verdict.Valid)));

        var document = MatrixJUnit.Build(tonight, RegressionAlarm.Compare(tonight, baseline));

        var regressions = document.Root!.Elements("testsuite")
            .Single(s => (string)s.Attribute("name")! == MatrixJUnit.RegressionsSuite);
        var failure = regressions.Descendants("failure").Single();
        Assert.Equal("bully/partition/sim/5 became-invalid", (string)failure.Parent!.Attribute("name")!);
        var skipped = regressions.Descendants("skipped").Single();
        Assert.StartsWith("not enough runs to compare", (string)skipped.Attribute("message")!);
    }

    [Fact]
    public void A_comparison_that_found_nothing_still_shows_a_passing_case()
    {
        double[] steady = [300, 310, 320, 290, 305];
        var same = Of(Cell("raft", "kill", Run(1, Verdict.Valid, steady), Run(2, Verdict.Valid, steady)));

        var document = MatrixJUnit.Build(same, RegressionAlarm.Compare(same, same));

        var regressions = document.Root!.Elements("testsuite")
            .Single(s => (string)s.Attribute("name")! == MatrixJUnit.RegressionsSuite);
        var passing = Assert.Single(regressions.Elements("testcase"));
        Assert.Empty(passing.Elements());
    }

    [Fact]
    public void The_written_file_has_no_byte_order_mark_and_parses()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coup-matrix-junit-{Guid.NewGuid():N}.xml");
        try
        {
            MatrixJUnit.Write(path, Tonight, alarm: null);

            Assert.Equal((byte)'<', File.ReadAllBytes(path)[0]);
            Assert.Equal(4, XDocument.Load(path).Descendants("testcase").Count());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
