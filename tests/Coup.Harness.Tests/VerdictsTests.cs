using System.Xml.Linq;
using Coup.Checkers;
using Coup.Harness.Cli;
using Coup.Harness.Run;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>What a nightly job reads (exit code, junit.xml) says what a person reads (the printed verdict).</summary>
public sealed class VerdictsTests
{
    private static long Ns(double ms) => (long)(ms * 1_000_000);

    private static RunStarted Start() => new()
    {
        TimeNs = 0,
        Test = "crafted",
        Algorithm = "raft",
        Runtime = "sim",
        Nodes = ["n1", "n2", "n3"],
        Seed = 1,
        Nemesis = [],
        TimeLimitS = 2,
        IntervalS = 1,
        StartedAt = DateTimeOffset.UnixEpoch,
        Clients = 1,
    };

    private static StateObserved State(double ms, string node, string role, long term, string leader) =>
        new() { TimeNs = Ns(ms), Node = node, Role = role, Term = term, Leader = leader };

    private static IEnumerable<HistoryEvent> Write(double ms, string node, long term) =>
    [
        new ClientOp { TimeNs = Ns(ms), Process = 0, Phase = OpPhases.Invoke, Node = node, Value = 1 },
        new ClientOp
        {
            TimeNs = Ns(ms + 10),
            Process = 0,
            Phase = OpPhases.Ok,
            Node = node,
            Value = 1,
            Term = term,
            LatencyNs = Ns(10),
        },
    ];

    private static readonly RunEnded End = new() { TimeNs = Ns(3000), Reason = "time-limit", HealedNs = Ns(2000) };

    /// <summary>n1 leads term 1 and every node says so; in two-leader histories n2 then claims term 1 too.</summary>
    private static IEnumerable<HistoryEvent> Events(string history)
    {
        IEnumerable<HistoryEvent> elected =
        [
            State(100, "n1", Roles.Leader, 1, "n1"),
            State(100, "n2", Roles.Follower, 1, "n1"),
            State(100, "n3", Roles.Follower, 1, "n1"),
        ];
        IEnumerable<HistoryEvent> twoLeaders =
            [.. elected, State(150, "n2", Roles.Leader, 1, "n2"), State(180, "n2", Roles.Follower, 1, "n1")];
        return history switch
        {
            "valid" => [Start(), .. elected, .. Write(200, "n1", 1), End],
            "invalid" => [Start(), .. twoLeaders, .. Write(200, "n1", 1), End],
            "nothing-between" => [Start(), End],
            "cut-short" => [Start(), .. elected, .. Write(200, "n1", 1)],
            "cut-short-after-a-violation" => [Start(), .. twoLeaders],
            _ => throw new ArgumentOutOfRangeException(nameof(history)),
        };
    }

    private static string Saved(TempStore store, string history)
    {
        var directory = Directory.CreateDirectory(Path.Combine(store.Root, history)).FullName;
        using var writer = new HistoryWriter(Path.Combine(directory, RunStore.HistoryFile));
        foreach (var historyEvent in Events(history))
        {
            writer.Append(historyEvent);
        }
        return directory;
    }

    /// <summary>junit.xml's verdict property, checked against the suite's failure and error counts.</summary>
    private static string JUnitVerdict(string directory)
    {
        var suite = XDocument.Load(Path.Combine(directory, "junit.xml")).Root!.Element("testsuite")!;
        var property = (string)suite.Element("properties")!.Elements("property")
            .Single(p => (string?)p.Attribute("name") == "verdict").Attribute("value")!;
        var counted = (int)suite.Attribute("failures")! > 0 ? "invalid"
            : (int)suite.Attribute("errors")! > 0 ? "unknown"
            : "valid";
        Assert.Equal(counted, property);
        return property;
    }

    [Theory]
    [InlineData("valid", "valid", ExitCodes.Valid)]
    [InlineData("invalid", "invalid", ExitCodes.Invalid)]
    [InlineData("nothing-between", "unknown", ExitCodes.Unknown)]
    [InlineData("cut-short", "unknown", ExitCodes.Unknown)]
    [InlineData("cut-short-after-a-violation", "invalid", ExitCodes.Invalid)]
    public async Task Given_a_history_When_checked_Then_printed_verdict_results_junit_and_exit_code_agree(
        string history, string verdict, int exitCode)
    {
        using var store = new TempStore();
        var directory = Saved(store, history);
        var printed = new StringWriter();

        Verdicts.CheckAndReport(directory, printed);
        var printedVerdict = printed.ToString().TrimEnd().Split('\n')[^1];
        var exit = await CoupCli.InvokeAsync(["check", directory], CancellationToken.None);

        Assert.Equal($"verdict: {verdict}", printedVerdict);
        var results = ResultsFile.Read(Path.Combine(directory, RunStore.ResultsFile));
        Assert.Equal(verdict, results.Verdict.ToString().ToLowerInvariant());
        Assert.Equal(verdict, JUnitVerdict(directory));
        Assert.Equal(exitCode, exit);
    }

    [Fact]
    public async Task Given_a_checked_run_whose_history_is_then_refused_When_checked_Then_no_verdict_file_is_left()
    {
        using var store = new TempStore();
        var directory = Saved(store, "valid");
        Assert.Equal(ExitCodes.Valid, await CoupCli.InvokeAsync(["check", directory], CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(directory, RunStore.ResultsFile)));
        var path = Path.Combine(directory, RunStore.HistoryFile);
        var lines = File.ReadAllLines(path);
        lines[2] = "{\"type\":\"state\",\"time\":";
        File.WriteAllLines(path, lines);

        var exit = await CoupCli.InvokeAsync(["check", directory], CancellationToken.None);

        Assert.Equal(ExitCodes.Unknown, exit);
        Assert.All(Verdicts.Files, file =>
            Assert.False(File.Exists(Path.Combine(directory, file)), $"{file} was left from the earlier check"));
    }
}
