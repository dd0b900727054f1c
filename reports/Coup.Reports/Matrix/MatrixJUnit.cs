using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Coup.Checkers;

namespace Coup.Reports.Matrix;

/// <summary>
/// <c>junit.xml</c> for a matrix: a test suite per cell, a test case per run named by cell and seed
/// (so no two cells' cases collide), timed by the run's real duration and carrying its seed, reproduce
/// command and report path. Invalid runs are failures, unknown runs errors. With a baseline, the alarm's
/// findings form a <c>regressions</c> suite: regressions are failures, new unknowns errors, and cells that
/// had too few runs to compare are skipped with the reason.
/// </summary>
public static class MatrixJUnit
{
    public const string RegressionsSuite = "regressions";

    public static void Write(string path, MatrixResult result, Alarm? alarm)
    {
        // No byte-order mark: some CI parsers of junit.xml reject one.
        var settings = new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true };
        using var writer = XmlWriter.Create(path, settings);
        Build(result, alarm).Save(writer);
    }

    public static XDocument Build(MatrixResult result, Alarm? alarm)
    {
        var suites = result.Cells.Select(CellSuite).ToList();
        if (alarm is not null)
        {
            suites.Add(RegressionSuite(alarm));
        }
        var root = new XElement("testsuites",
            new XAttribute("name", JUnitReport.XmlText($"coup matrix {result.Plan}")),
            new XAttribute("tests", suites.Sum(s => (int)s.Attribute("tests")!)),
            new XAttribute("failures", suites.Sum(s => (int)s.Attribute("failures")!)),
            new XAttribute("errors", suites.Sum(s => (int)s.Attribute("errors")!)),
            new XAttribute("time", Seconds(result.Cells.SelectMany(c => c.Runs).Sum(r => r.DurationS))),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>A run's test case name: the cell's id and the seed, e.g. <c>raft/kill/sim/5 seed 3</c>.</summary>
    public static string CaseName(CellResult cell, RunOutcome run) =>
        string.Create(CultureInfo.InvariantCulture, $"{cell.Id} seed {run.Seed}");

    private static XElement CellSuite(CellResult cell)
    {
        var cases = cell.Runs.Select(run => RunCase(cell, run)).ToList();
        return new XElement("testsuite",
            new XAttribute("name", JUnitReport.XmlText(cell.Id)),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cell.Runs.Count(r => r.Verdict == Verdict.Invalid)),
            new XAttribute("errors", cell.Runs.Count(r => r.Verdict == Verdict.Unknown)),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(cell.Runs.Sum(r => r.DurationS))),
            new XElement("properties",
                Property("target", cell.Target),
                Property("nemesis", NemesisName(cell)),
                Property("runtime", cell.Runtime),
                Property("nodes", cell.Nodes.ToString(CultureInfo.InvariantCulture)),
                Property("verdict", ReportPage.Name(cell.Verdict))),
            cases);
    }

    private static XElement RunCase(CellResult cell, RunOutcome run)
    {
        var testCase = new XElement("testcase",
            new XAttribute("classname", JUnitReport.XmlText($"coup.{cell.Target}.{NemesisName(cell)}")),
            new XAttribute("name", JUnitReport.XmlText(CaseName(cell, run))),
            new XAttribute("time", Seconds(run.DurationS)),
            new XElement("properties",
                Property("seed", run.Seed.ToString(CultureInfo.InvariantCulture)),
                Property("reproduce", run.Reproduce),
                Property("report", $"{run.RunDirectory}/{Report.HtmlFile}"),
                Property("verdict", ReportPage.Name(run.Verdict))));
        var failing = string.Join(", ", run.Checks.Where(c => c.Value == run.Verdict).Select(c => c.Key));
        var message = $"{ReportPage.Name(run.Verdict)}: {failing}; reproduce: {run.Reproduce}; " +
            $"report: {run.RunDirectory}/{Report.HtmlFile}";
        switch (run.Verdict)
        {
            case Verdict.Invalid:
                testCase.Add(new XElement("failure",
                    new XAttribute("message", JUnitReport.XmlText(message)), new XAttribute("type", "invalid")));
                break;
            case Verdict.Unknown:
                testCase.Add(new XElement("error",
                    new XAttribute("message", JUnitReport.XmlText(message)), new XAttribute("type", "unknown")));
                break;
        }
        return testCase;
    }

    private static XElement RegressionSuite(Alarm alarm)
    {
        var findings = alarm.Findings
            .Where(f => f.IsRegression || f.Kind is FindingKind.NewUnknown or FindingKind.NotEnoughRuns).ToList();
        var cases = findings.Select(FindingCase).ToList();
        if (findings.Count == 0)
        {
            // A suite with no case reads as "nothing ran"; say the comparison happened and found nothing.
            cases.Add(new XElement("testcase", new XAttribute("classname", "coup.regressions"),
                new XAttribute("name", "no regression against the baseline"), new XAttribute("time", "0")));
        }
        return new XElement("testsuite",
            new XAttribute("name", RegressionsSuite),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", findings.Count(f => f.IsRegression)),
            new XAttribute("errors", findings.Count(f => f.Kind == FindingKind.NewUnknown)),
            new XAttribute("skipped", findings.Count(f => f.Kind == FindingKind.NotEnoughRuns)),
            new XAttribute("time", "0"),
            new XElement("properties",
                Property("baseline-plan", alarm.Baseline.Plan),
                Property("baseline-started-at", alarm.Baseline.StartedAt.ToString("O", CultureInfo.InvariantCulture)),
                Property("alpha", RegressionAlarm.Alpha.ToString(CultureInfo.InvariantCulture))),
            cases);
    }

    private static XElement FindingCase(Finding finding)
    {
        var testCase = new XElement("testcase",
            new XAttribute("classname", "coup.regressions"),
            new XAttribute("name", JUnitReport.XmlText($"{finding.CellId} {finding.KindName}")),
            new XAttribute("time", "0"));
        var detail = new XAttribute("message", JUnitReport.XmlText(finding.Detail));
        testCase.Add(finding switch
        {
            { IsRegression: true } => new XElement("failure", detail, new XAttribute("type", finding.KindName)),
            { Kind: FindingKind.NewUnknown } =>
                new XElement("error", detail, new XAttribute("type", finding.KindName)),
            _ => new XElement("skipped", detail),
        });
        return testCase;
    }

    public static string NemesisName(CellResult cell) =>
        cell.Nemesis.Count == 0 ? "none" : string.Join("+", cell.Nemesis);

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", JUnitReport.XmlText(value)));

    private static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture);
}
