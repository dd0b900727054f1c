using System.Text;
using Coup.History;

namespace Coup.Checkers.Tests;

public sealed class HistoryFileTests
{
    private const string RunStartLine =
        "{\"type\":\"run-start\",\"time\":0,\"test\":\"t\",\"algorithm\":\"raft\",\"runtime\":\"sim\","
        + "\"nodes\":[\"n1\"],\"seed\":1,\"nemesis\":[],\"timeLimitS\":1,\"intervalS\":1,"
        + "\"startedAt\":\"2026-01-01T00:00:00Z\"}";
    private const string ObserverLine = "{\"type\":\"observer\",\"time\":11,\"node\":\"n1\",\"phase\":\"up\"}";
    private const string RunEndLine = "{\"type\":\"run-end\",\"time\":20,\"reason\":\"time-limit\",\"healedNs\":15}";

    private static RunHistory Parse(params string[] lines) =>
        RunHistory.Parse(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "h.jsonl");

    private static string Json(HistoryEvent historyEvent) =>
        System.Text.Json.JsonSerializer.Serialize(historyEvent, HistoryJson.Options);

    [Theory]
    [InlineData("{\"type\":\"state\",\"time\":")]
    [InlineData("{\"type\":\"mystery\",\"time\":5}")]
    [InlineData("{\"type\":\"state\",\"time\":5}")]
    [InlineData("not json")]
    public void Given_a_malformed_line_When_parsed_Then_the_error_names_its_line_number(string line)
    {
        var error = Assert.Throws<HistoryFormatException>(() => Parse(RunStartLine, ObserverLine, line));

        Assert.StartsWith("h.jsonl:3:", error.Message);
    }

    [Fact]
    public void Given_a_line_missing_required_fields_When_parsed_Then_the_error_names_the_event_and_the_fields()
    {
        var error = Assert.Throws<HistoryFormatException>(
            () => Parse(RunStartLine, "{\"type\":\"state\",\"time\":5}"));

        Assert.Equal("h.jsonl:2: a state line needs 'node', 'role', 'term'", error.Message);
    }

    [Fact]
    public void Given_a_line_whose_keys_were_sorted_by_another_tool_When_parsed_Then_it_reads()
    {
        var history = Parse(RunStartLine, "{\"node\":\"n1\",\"phase\":\"up\",\"time\":11,\"type\":\"observer\"}");

        Assert.IsType<ObserverEvent>(history.Events[1]);
    }

    [Fact]
    public void Given_a_history_without_run_end_When_parsed_Then_its_end_is_null()
    {
        var history = Parse(RunStartLine, ObserverLine);

        Assert.Null(history.End);
        Assert.Equal(11, history.EndNs);
    }

    [Fact]
    public void Given_an_event_after_run_end_When_parsed_Then_it_is_rejected_with_its_line_number()
    {
        var error = Assert.Throws<HistoryFormatException>(() => Parse(RunStartLine, RunEndLine, ObserverLine));

        Assert.StartsWith("h.jsonl:3:", error.Message);
    }

    [Fact]
    public void Given_times_that_go_backwards_When_parsed_Then_it_is_rejected()
    {
        var error = Assert.Throws<HistoryFormatException>(
            () => Parse(RunStartLine, ObserverLine, ObserverLine.Replace("11", "10")));

        Assert.StartsWith("h.jsonl:3:", error.Message);
    }

    [Fact]
    public void Given_a_first_line_that_is_not_run_start_When_parsed_Then_it_is_rejected()
    {
        Assert.Throws<HistoryFormatException>(() => Parse(ObserverLine, RunStartLine));
    }

    [Fact]
    public void Given_events_written_When_read_back_Then_they_are_the_same()
    {
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");
        var original = new HistoryBuilder().Elected(100, "n1", 1).Write(200, 210, "n1", 1)
            .Fault(300, "start", FaultKinds.Kill, "n4", "n5").Build(1000, 900);
        try
        {
            using (var writer = new HistoryWriter(path))
            {
                original.Events.ToList().ForEach(writer.Append);
            }

            var read = RunHistory.Read(path);

            // Records compare lists by reference, so compare what they serialize to.
            Assert.Equal(original.Events.Select(Json), read.Events.Select(Json));
            Assert.Equal(HistoryBuilder.Ns(900), read.End?.HealedNs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static RunHistory ParseText(string text) =>
        RunHistory.Parse(Encoding.UTF8.GetBytes(text), "h.jsonl");

    [Fact]
    public void Given_a_torn_last_line_When_parsed_Then_the_rest_is_read_and_the_history_names_the_torn_line()
    {
        var history = ParseText($"{RunStartLine}\n{ObserverLine}\n{{\"type\":\"observer\",\"time\":12,\"no");

        Assert.Equal(3, history.TornLine);
        Assert.Null(history.End);
        Assert.Equal(2, history.Events.Count);
        Assert.Equal(Verdict.Unknown, CheckerSuite.Run(history).Checks.Single(c => c.Checker == "history").Verdict);
    }

    [Fact]
    public void Given_a_malformed_last_line_that_ends_in_a_newline_When_parsed_Then_it_is_an_error_not_a_torn_line()
    {
        var text = $"{RunStartLine}\n{ObserverLine}\n{{\"type\":\"observer\",\"time\":12,\"no\n";

        var error = Assert.Throws<HistoryFormatException>(() => ParseText(text));

        Assert.StartsWith("h.jsonl:3: not JSON", error.Message);
    }

    [Fact]
    public void Given_a_whole_last_event_without_a_newline_When_parsed_Then_it_is_read_and_nothing_is_torn()
    {
        var history = ParseText($"{RunStartLine}\n{ObserverLine}\n{RunEndLine}");

        Assert.Null(history.TornLine);
        Assert.NotNull(history.End);
    }

    [Fact]
    public void Given_a_last_line_without_a_newline_that_is_json_but_breaks_a_rule_When_parsed_Then_it_is_an_error()
    {
        var text = $"{RunStartLine}\n{RunEndLine.Replace("time-limit", "Time-Limit")}";

        var error = Assert.Throws<HistoryFormatException>(() => ParseText(text));

        Assert.StartsWith(
            "h.jsonl:2: reason 'Time-Limit' is not one of time-limit, interrupted, error",
            error.Message);
    }

    [Fact]
    public void Given_a_torn_line_that_is_not_the_last_When_parsed_Then_it_is_an_error()
    {
        var text = $"{RunStartLine}\n{{\"type\":\"obs\n{ObserverLine}\n";

        var error = Assert.Throws<HistoryFormatException>(() => ParseText(text));

        Assert.StartsWith("h.jsonl:2: not JSON", error.Message);
    }

    [Fact]
    public void Given_a_torn_line_after_run_end_When_parsed_Then_it_is_an_error()
    {
        var text = $"{RunStartLine}\n{RunEndLine}\n{{\"type\":\"obs";

        var error = Assert.Throws<HistoryFormatException>(() => ParseText(text));

        Assert.StartsWith("h.jsonl:3: not JSON", error.Message);
    }

    [Fact]
    public void Given_events_written_When_the_file_is_read_as_bytes_Then_every_line_ends_in_a_bare_newline()
    {
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var writer = new HistoryWriter(path))
            {
                new HistoryBuilder().Elected(100, "n1", 1).Build(1000, 900).Events.ToList().ForEach(writer.Append);
            }

            var bytes = File.ReadAllBytes(path);

            Assert.Equal((byte)'\n', bytes[^1]);
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'{', bytes[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
