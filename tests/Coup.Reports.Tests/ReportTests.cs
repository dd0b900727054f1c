using System.Xml.Linq;
using Coup.Checkers;
using Coup.Checkers.History;

namespace Coup.Reports.Tests;

public sealed class ReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coup-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static History SampleHistory(string oddNode = "n2")
    {
        var nodes = new[] { "n1", oddNode, "n3" };
        var events = new List<HistoryEvent>
        {
            new RunStarted { TimeNs = 0, Test = "raft-kill", Algorithm = "raft", Runtime = "sim", Nodes = nodes, Seed = 7, Nemesis = ["kill"], TimeLimitS = 5, IntervalS = 2, StartedAt = DateTimeOffset.UnixEpoch },
            new StateObserved { TimeNs = 100_000_000, Node = "n1", Role = Roles.Leader, Term = 1, Leader = "n1", NodeWallMs = 100 },
            new StateObserved { TimeNs = 100_000_000, Node = oddNode, Role = Roles.Follower, Term = 1, Leader = "n1", NodeWallMs = 130 },
            new ClientOp { TimeNs = 200_000_000, Process = 0, Phase = OpPhases.Invoke, Node = "n1", Value = 1 },
            new ClientOp { TimeNs = 210_000_000, Process = 0, Phase = OpPhases.Ok, Node = "n1", Value = 1, Term = 1 },
            new FaultEvent { TimeNs = 1_000_000_000, Phase = "start", Kind = FaultKinds.Kill, Targets = ["n1"], Detail = "leader n1" },
            new StateObserved { TimeNs = 1_200_000_000, Node = oddNode, Role = Roles.Leader, Term = 2, Leader = oddNode },
            new FaultEvent { TimeNs = 3_000_000_000, Phase = "stop", Kind = FaultKinds.Kill, Targets = ["n1"], Detail = "leader n1" },
        };
        var end = new RunEnded { TimeNs = 5_000_000_000, Reason = "time-limit", HealedNs = 3_000_000_000 };
        events.Add(end);
        return new History { Run = (RunStarted)events[0], Events = events, End = end };
    }

    private static Results SampleResults(string oddNode = "n2") => new()
    {
        Verdict = Verdict.Invalid,
        Checks =
        [
            new CheckResult
            {
                Checker = "election-safety", Verdict = Verdict.Invalid, Summary = "1 term had two leaders",
                Anomalies = [new Anomaly { Kind = "same-term-leaders", Description = "both claimed term 42", Nodes = ["n1", oddNode], Terms = [42], StartNs = 1_500_000_000 }],
            },
            new CheckResult { Checker = "liveness", Verdict = Verdict.Unknown, Summary = "no final heal" },
            new CheckResult
            {
                Checker = "failover", Verdict = Verdict.Valid, Summary = "1 failover",
                Failovers = [new FailoverLatency { FaultKind = "kill", FaultStartNs = 1_000_000_000, Group = "default", OldLeader = "n1", OldTerm = 1, ToFirstClaimNs = 200_000_000, ToMajorityLeaderNs = 250_000_000, NewLeader = oddNode, NewTerm = 2 }],
            },
        ],
    };

    [Fact]
    public void Given_an_invalid_run_When_reported_Then_the_page_shows_the_verdict_and_every_anomalys_nodes_and_terms()
    {
        Report.Write(_directory, SampleHistory(), SampleResults());

        var html = File.ReadAllText(Path.Combine(_directory, "report.html"));
        Assert.Contains("verdict invalid", html);
        Assert.Contains("same-term-leaders", html);
        Assert.Contains("<td>n1, n2</td>", html);
        Assert.Contains("<td>42</td>", html);
        Assert.Contains("--seed 7", html);
    }

    [Fact]
    public void Given_a_report_When_written_Then_it_is_self_contained_with_embedded_plots()
    {
        Report.Write(_directory, SampleHistory(), SampleResults());

        var html = File.ReadAllText(Path.Combine(_directory, "report.html"));
        Assert.True(html.Split("data:image/png;base64,").Length - 1 >= 3);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void Given_a_node_name_with_markup_When_reported_Then_it_is_escaped()
    {
        Report.Write(_directory, SampleHistory("<script>"), SampleResults("<script>"));

        var html = File.ReadAllText(Path.Combine(_directory, "report.html"));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData("timeline.png")]
    [InlineData("failover.png")]
    [InlineData("availability.png")]
    [InlineData("clock.png")]
    public void Given_a_report_When_written_Then_each_plot_is_a_real_png(string name)
    {
        Report.Write(_directory, SampleHistory(), SampleResults());

        var bytes = File.ReadAllBytes(Path.Combine(_directory, name));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.True(bytes.Length > 5_000, $"{name} is only {bytes.Length} bytes");
    }

    [Fact]
    public void Given_checks_When_reported_Then_junit_has_one_case_each_with_a_failure_for_invalid_and_an_error_for_unknown()
    {
        Report.Write(_directory, SampleHistory(), SampleResults());

        var suite = XDocument.Load(Path.Combine(_directory, "junit.xml")).Root!.Element("testsuite")!;
        var cases = suite.Elements("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        Assert.Equal(["election-safety", "liveness", "failover"], cases.Keys);
        Assert.NotNull(cases["election-safety"].Element("failure"));
        Assert.NotNull(cases["liveness"].Element("error"));
        Assert.False(cases["failover"].HasElements);
    }

    [Fact]
    public void Given_a_run_with_no_faults_and_no_failovers_When_reported_Then_it_still_renders()
    {
        var history = SampleHistory();
        var quiet = history with { Events = [.. history.Events.Where(e => e is not FaultEvent)] };

        Report.Write(_directory, quiet, new Results { Verdict = Verdict.Valid, Checks = [] });

        Assert.Contains("verdict valid", File.ReadAllText(Path.Combine(_directory, "report.html")));
    }
}
