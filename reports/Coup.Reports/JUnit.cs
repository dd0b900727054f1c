using System.Globalization;
using System.Xml.Linq;
using Coup.Checkers;
using Coup.Checkers.History;

namespace Coup.Reports;

/// <summary><c>junit.xml</c>: one test case per checker, so CI shows which property failed.</summary>
public static class JUnit
{
    public static void Write(string path, History history, Results results, string reproduce)
    {
        var run = history.Run;
        var seconds = (history.EndNs / 1e9).ToString("0.000", CultureInfo.InvariantCulture);
        var cases = results.Checks.Select(check =>
        {
            var testCase = new XElement("testcase", new XAttribute("classname", $"coup.{run.Algorithm}"), new XAttribute("name", check.Checker), new XAttribute("time", "0"));
            var violations = string.Join("\n", check.Anomalies.Where(a => a.Violation).Select(a =>
                $"{a.Kind} at {a.StartNs / 1e9:0.000}s: {a.Description} [{string.Join(",", a.Nodes)}; terms {string.Join(",", a.Terms)}]"));
            if (check.Verdict == Verdict.Invalid)
            {
                testCase.Add(new XElement("failure", new XAttribute("message", check.Summary), violations));
            }
            else if (check.Verdict == Verdict.Unknown)
            {
                testCase.Add(new XElement("error", new XAttribute("message", check.Summary)));
            }
            return testCase;
        }).ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", $"coup.{run.Test}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", results.Checks.Count(c => c.Verdict == Verdict.Invalid)),
            new XAttribute("errors", results.Checks.Count(c => c.Verdict == Verdict.Unknown)),
            new XAttribute("time", seconds),
            cases,
            new XElement("system-out", $"seed {run.Seed}\nreproduce: {reproduce}"));
        new XDocument(new XElement("testsuites", suite)).Save(path);
    }
}
