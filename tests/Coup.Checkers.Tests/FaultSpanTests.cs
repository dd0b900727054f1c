using System.Text;
using Coup.History;

namespace Coup.Checkers.Tests;

/// <summary>The reader's one rule for which start a fault's stop ends, as every checker and report sees it.</summary>
public sealed class FaultSpanTests
{
    private const string RunStartLine =
        "{\"type\":\"run-start\",\"time\":0,\"test\":\"t\",\"algorithm\":\"raft\",\"runtime\":\"sim\"," +
        "\"nodes\":[\"n1\",\"n2\",\"n3\"],\"seed\":1,\"nemesis\":[\"kill\",\"pause\"]," +
        "\"timeLimitS\":1,\"intervalS\":1," +
        "\"startedAt\":\"2026-01-01T00:00:00Z\"}";

    private static string Fault(long timeNs, string phase, string kind, params string[] targets) =>
        $"{{\"type\":\"fault\",\"time\":{timeNs},\"phase\":\"{phase}\",\"kind\":\"{kind}\"," +
        $"\"targets\":[{string.Join(",", targets.Select(t => $"\"{t}\""))}]}}";

    private static RunHistory Parse(params string[] lines) =>
        RunHistory.Parse(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "h.jsonl");

    [Fact]
    public void Given_two_like_faults_in_force_When_one_stops_Then_the_oldest_ends_and_the_other_never_does()
    {
        var history = Parse(
            RunStartLine,
            Fault(10, "start", "pause", "n1"),
            Fault(20, "start", "kill", "n2"),
            Fault(30, "start", "pause", "n1"),
            Fault(40, "stop", "pause", "n1"),
            Fault(50, "stop", "kill", "n2"));

        var spans = history.FaultSpans.Select(s => (s.Start.Kind, s.Start.TimeNs, s.Stop?.TimeNs));

        Assert.Equal([("pause", 10L, 40L), ("kill", 20L, 50L), ("pause", 30L, (long?)null)], spans);
    }

    [Fact]
    public void Given_a_stop_whose_targets_are_in_another_order_When_read_Then_it_is_refused_as_ending_no_fault()
    {
        var error = Assert.Throws<HistoryFormatException>(() => Parse(
            RunStartLine, Fault(10, "start", "kill", "n1", "n2"), Fault(20, "stop", "kill", "n2", "n1")));

        Assert.Equal(
            "h.jsonl:3: stop of a kill on n2,n1 that is not in force; " +
            "expected a start of the same kind and targets before it",
            error.Message);
    }
}
