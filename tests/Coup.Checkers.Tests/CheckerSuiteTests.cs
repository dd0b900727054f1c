using Coup.History;

namespace Coup.Checkers.Tests;

public sealed class CheckerSuiteTests
{
    private sealed class Throwing : IChecker
    {
        public string Name => "throwing";
        public ICheck Start(RunStarted run) => throw new InvalidOperationException("boom");
    }

    [Fact]
    public void Given_a_checker_that_throws_When_the_suite_runs_Then_its_result_is_unknown_and_says_what_it_threw()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build(1000, 900);

        var results = CheckerSuite.Run(history, [new Throwing()]);

        Assert.Equal(Verdict.Unknown, results.Verdict);
        var check = Assert.Single(results.Checks);
        Assert.Equal(("throwing", "checker threw: InvalidOperationException: boom"), (check.Checker, check.Summary));
    }

    [Fact]
    public void Given_an_invalid_and_an_unknown_check_When_combined_Then_invalid_wins()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 3).Leader(200, "n2", 3).Build(1000, 900);

        Assert.Equal(Verdict.Invalid, CheckerSuite.Run(history, [.. CheckerSuite.All, new Throwing()]).Verdict);
    }

    [Fact]
    public void Given_a_history_without_run_end_When_the_suite_runs_Then_a_history_result_makes_it_unknown()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build();

        var results = CheckerSuite.Run(history);

        Assert.Equal(Verdict.Unknown, results.Verdict);
        var check = results.Checks.Single(c => c.Checker == "history");
        Assert.Equal((Verdict.Unknown, "history was cut short: no run-end line"), (check.Verdict, check.Summary));
    }

    [Fact]
    public void Given_a_clean_run_When_the_suite_runs_Then_all_seven_checkers_answer_valid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Write(200, 210, "n1", 1).Build(1000, 900);

        var results = CheckerSuite.Run(history);

        Assert.Equal(Verdict.Valid, results.Verdict);
        Assert.Equal(
            [
                "availability",
                "dueling-writes",
                "election-safety",
                "failover",
                "liveness",
                "split-brain",
                "term-monotonic",
            ],
            results.Checks.Select(c => c.Checker).Order());
    }

    [Fact]
    public void Given_a_run_start_and_a_run_end_and_nothing_between_When_the_suite_runs_Then_no_checker_says_valid()
    {
        var history = new HistoryBuilder(clients: 3).Build(1000, 900);

        var results = CheckerSuite.Run(history);

        Assert.Equal(Verdict.Unknown, results.Verdict);
        Assert.All(results.Checks, check =>
        {
            Assert.Equal(Verdict.Unknown, check.Verdict);
            Assert.StartsWith("missing evidence: ", check.Summary);
        });
        Assert.Equal(7, results.Checks.Count);
    }

    [Fact]
    public void Given_a_history_cut_short_after_a_violation_When_the_suite_runs_Then_the_prefix_makes_it_invalid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 3).Leader(200, "n2", 3).Build();

        var results = CheckerSuite.Run(history);

        Assert.Equal(Verdict.Invalid, results.Verdict);
        Assert.Equal(Verdict.Unknown, results.Checks.Single(c => c.Checker == "history").Verdict);
    }

    [Fact]
    public void Given_results_When_written_and_read_back_Then_they_are_the_same()
    {
        var path = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}.json");
        var history = new HistoryBuilder()
            .Elected(100, "n1", 1).Leader(150, "n5", 1)
            .Fault(1000, "start", FaultKinds.Kill, "n1").Elected(1300, "n2", 2, ["n3", "n4", "n5"])
            .Write(1400, 1410, "n2", 2)
            .Build(3000, 2000);
        var results = CheckerSuite.Run(history);
        try
        {
            ResultsFile.Write(path, results);

            var read = ResultsFile.Read(path);

            Assert.Equal(Verdict.Invalid, read.Verdict);
            Assert.NotEmpty(read.Anomalies);
            Assert.NotEmpty(read.Failovers);
            Assert.Equal(Json(results), Json(read));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_a_results_file_that_is_not_json_When_read_Then_the_error_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"verdict\":");
        try
        {
            var error = Assert.Throws<HistoryFormatException>(() => ResultsFile.Read(path));

            Assert.StartsWith(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Json(Results results) =>
        System.Text.Json.JsonSerializer.Serialize(results, HistoryJson.Options);
}
