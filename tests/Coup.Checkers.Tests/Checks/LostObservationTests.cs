using System.Text;
using Coup.Checkers.Checks;
using Coup.History;

namespace Coup.Checkers.Tests.Checks;

/// <summary>
/// A node whose observation was lost and never came back (an observer <c>down</c> with no later
/// <c>up</c> or <c>state</c>): its last word is not its final state, so liveness lacks evidence.
/// </summary>
public sealed class LostObservationTests
{
    private const string RunStartLine =
        "{\"type\":\"run-start\",\"time\":0,\"test\":\"t\",\"algorithm\":\"raft\",\"runtime\":\"docker\"," +
        "\"nodes\":[\"n1\",\"n2\",\"n3\"],\"seed\":1,\"nemesis\":[],\"timeLimitS\":10,\"intervalS\":5," +
        "\"startedAt\":\"2026-01-01T00:00:00Z\"}";

    /// <summary>n1 leads term 1 and the others follow it, as the observer heard it, from 1 s.</summary>
    private static readonly string[] Elected =
    [
        State(1_000_000_000, "n1", "leader", 1),
        State(1_000_000_000, "n2", "follower", 1),
        State(1_000_000_000, "n3", "follower", 1),
    ];

    private const string N3Lost =
        "{\"type\":\"observer\",\"time\":9000000000,\"node\":\"n3\",\"phase\":\"down\",\"detail\":\"stream ended\"}";
    private const string RunEndLine =
        "{\"type\":\"run-end\",\"time\":12000000000,\"reason\":\"time-limit\",\"healedNs\":10000000000}";

    private static string State(long timeNs, string node, string role, long term, string source = "stream") =>
        $"{{\"type\":\"state\",\"time\":{timeNs},\"node\":\"{node}\",\"role\":\"{role}\",\"term\":{term}," +
        $"\"leader\":\"{(role == "leader" ? node : "n1")}\",\"source\":\"{source}\"}}";

    private static RunHistory Parse(params IEnumerable<string> lines) =>
        RunHistory.Parse(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "h.jsonl");

    [Fact]
    public void Given_a_node_lost_and_never_heard_from_again_When_checked_Then_it_is_unknown_naming_it()
    {
        // Valid before the rule: n1 led with a majority to the end by every word recorded.
        var history = Parse([RunStartLine, .. Elected, N3Lost, RunEndLine]);

        var result = new LivenessChecker().Check(history);

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.Equal(
            "missing evidence: the observer lost n3 at 9.000 s and never heard from it again, " +
            "so its final state is unobserved",
            result.Summary);
    }

    [Fact]
    public void Given_a_lost_node_that_the_final_observation_reached_When_liveness_checks_Then_it_is_valid()
    {
        var finalOfN3 = State(11_000_000_000, "n3", "follower", 1, "final");
        var history = Parse([RunStartLine, .. Elected, N3Lost, finalOfN3, RunEndLine]);

        Assert.Equal(Verdict.Valid, new LivenessChecker().Check(history).Verdict);
    }

    [Fact]
    public void Given_a_lost_node_in_a_history_with_two_leaders_of_one_term_When_the_suite_runs_Then_it_is_invalid()
    {
        var history = Parse([RunStartLine, .. Elected, State(2_000_000_000, "n2", "leader", 1), N3Lost, RunEndLine]);

        var results = CheckerSuite.Run(history);

        Assert.Equal(Verdict.Invalid, results.Verdict);
        Assert.Equal(Verdict.Invalid, results.Checks.Single(c => c.Checker == "election-safety").Verdict);
        var liveness = results.Checks.Single(c => c.Checker == "liveness");
        Assert.Equal(Verdict.Unknown, liveness.Verdict);
        Assert.Contains("the observer lost n3 at 9.000 s", liveness.Summary);
    }
}
