using Coup.Checkers.History;

namespace Coup.Checkers.Tests;

public sealed class SuiteAndFormatTests
{
    private sealed class Throwing : IChecker
    {
        public string Name => "throwing";
        public CheckResult Check(History.History history) => throw new InvalidOperationException("boom");
    }

    [Fact]
    public void Given_a_checker_that_throws_When_the_suite_runs_Then_its_verdict_is_unknown_never_valid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build(1000, 900);

        var results = CheckerSuite.Run(history, [new Throwing()]);

        Assert.Equal(Verdict.Unknown, results.Verdict);
        Assert.Contains("boom", results.Checks[0].Summary);
    }

    [Fact]
    public void Given_an_invalid_and_an_unknown_check_When_combined_Then_invalid_wins()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 3).State(200, "n2", Roles.Leader, 3, "n2").Build();

        Assert.Equal(Verdict.Invalid, CheckerSuite.Run(history).Verdict);
    }

    [Fact]
    public void Given_a_history_without_run_end_When_the_suite_runs_Then_it_is_not_valid()
    {
        var history = new HistoryBuilder().Elected(100, "n1", 1).Build();

        Assert.Equal(Verdict.Unknown, CheckerSuite.Run(history).Verdict);
    }

    [Fact]
    public void Given_events_written_When_read_back_Then_they_are_the_same()
    {
        var path = Path.GetTempFileName();
        File.Delete(path);
        var original = new HistoryBuilder().Elected(100, "n1", 1).Write(200, 210, "n1", 1).Fault(300, "start", FaultKinds.Partition, "n4", "n5").Build(1000, 900);
        using (var writer = new HistoryWriter(path))
        {
            original.Events.ToList().ForEach(writer.Append);
        }

        var read = History.History.Read(path);

        Assert.Equal(original.Events, read.Events, (a, b) => a.ToString() == b.ToString());
        Assert.Equal(900_000_000, read.End?.HealedNs);
        File.Delete(path);
    }

    [Theory]
    [InlineData("{\"type\":\"state\",\"time\":", 2)]
    [InlineData("{\"type\":\"mystery\",\"time\":5}", 2)]
    [InlineData("{\"type\":\"state\",\"time\":5}", 2)]
    public void Given_a_malformed_line_When_parsed_Then_the_error_names_its_line(string line, int lineNumber)
    {
        var text = $"{RunStartLine}\n{line}\n";

        var error = Assert.Throws<HistoryFormatException>(() => History.History.Parse(new StringReader(text), "h.jsonl"));

        Assert.StartsWith($"h.jsonl:{lineNumber}:", error.Message);
    }

    [Fact]
    public void Given_an_event_after_run_end_When_parsed_Then_it_is_rejected()
    {
        var text = $"{RunStartLine}\n{{\"type\":\"run-end\",\"time\":10,\"reason\":\"time-limit\"}}\n{{\"type\":\"observer\",\"time\":11,\"node\":\"n1\",\"phase\":\"up\"}}\n";

        Assert.Throws<HistoryFormatException>(() => History.History.Parse(new StringReader(text), "h.jsonl"));
    }

    [Fact]
    public void Given_times_that_go_backwards_When_parsed_Then_it_is_rejected()
    {
        var text = $"{RunStartLine}\n{{\"type\":\"observer\",\"time\":11,\"node\":\"n1\",\"phase\":\"up\"}}\n{{\"type\":\"observer\",\"time\":10,\"node\":\"n1\",\"phase\":\"up\"}}\n";

        Assert.Throws<HistoryFormatException>(() => History.History.Parse(new StringReader(text), "h.jsonl"));
    }

    private const string RunStartLine =
        "{\"type\":\"run-start\",\"time\":0,\"test\":\"t\",\"algorithm\":\"raft\",\"runtime\":\"sim\",\"nodes\":[\"n1\"],\"seed\":1,\"nemesis\":[],\"timeLimitS\":1,\"intervalS\":1,\"startedAt\":\"2026-01-01T00:00:00Z\"}";
}
