using Coup.Checkers;
using Coup.History;

namespace Coup.Reports.Tests;

public sealed class ReportEscapingTests
{
    [Fact]
    public void GivenANodeNamedLikeAScriptTag_WhenTheReportIsWritten_ThenTheNameIsEscapedEverywhere()
    {
        const string node = "<script>alert(1)</script>";
        var history = new HistoryBuilder([node, "n2", "n3"], ["kill"], test: "x&<b>")
            .State(0.1, node, Roles.Leader, 1)
            .State(0.2, "n2", Roles.Follower, 1, node)
            .Fault(1.0, "start", FaultKinds.Kill, node)
            .Fault(2.0, "stop", FaultKinds.Kill, node)
            .Build(3);
        var results = new Results
        {
            Verdict = Verdict.Invalid,
            Checks =
            [
                new CheckResult
                {
                    Checker = "split-brain", Verdict = Verdict.Invalid, Summary = $"{node} led twice",
                    Anomalies =
                    [
                        new Anomaly
                        {
                            Kind = "split-brain",
                            Description = $"{node} and n2",
                            Nodes = [node, "n2"],
                            Terms = [1],
                            StartNs = 0,
                        },
                    ],
                },
            ],
        };
        var directory = Path.Combine(Path.GetTempPath(), $"coup-report-test-{Guid.NewGuid():N}");
        try
        {
            Report.Write(directory, history, results);
            var html = File.ReadAllText(Path.Combine(directory, Report.HtmlFile));

            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<b>", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;, n2", html);
            Assert.Contains("x&amp;&lt;b&gt;", html);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
