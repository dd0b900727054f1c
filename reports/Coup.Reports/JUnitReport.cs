using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Coup.Checkers;
using Coup.History;

namespace Coup.Reports;

/// <summary>
/// <c>junit.xml</c>: one test case per checker, so CI shows which property failed. Invalid is a
/// failure listing the violations, unknown an error (the run could not decide), valid passes.
/// The combined verdict, the one results.json holds and the exit code follows, is the suite's
/// <c>verdict</c> property.
/// </summary>
public static class JUnitReport
{
    public static void Write(string path, RunHistory history, Results results)
    {
        // No byte-order mark: some CI parsers of junit.xml reject one.
        using var writer = XmlWriter.Create(
            path, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true });
        Build(history, results).Save(writer);
    }

    public static XDocument Build(RunHistory history, Results results)
    {
        var run = history.Run;
        var cases = results.Checks.Select(check => TestCase(run, check)).ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", XmlText($"coup.{run.Test}")),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", results.Checks.Count(c => c.Verdict == Verdict.Invalid)),
            new XAttribute("errors", results.Checks.Count(c => c.Verdict == Verdict.Unknown)),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(history.EndNs)),
            new XAttribute(
                "timestamp", run.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties", new XElement("property",
                new XAttribute("name", "verdict"),
                new XAttribute("value", results.Verdict.ToString().ToLowerInvariant()))),
            cases,
            new XElement(
                "system-out",
                XmlText($"seed {run.Seed.ToString(CultureInfo.InvariantCulture)}\n" +
                    $"reproduce: {Report.Reproduce(run)}\n")));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
    }

    private static XElement TestCase(RunStarted run, CheckResult check)
    {
        // Checkers read a saved history after the run, so a per-check duration would mean nothing.
        var testCase = new XElement("testcase",
            new XAttribute("classname", XmlText($"coup.{run.Algorithm}")),
            new XAttribute("name", XmlText(check.Checker)),
            new XAttribute("time", "0"));
        switch (check.Verdict)
        {
            case Verdict.Invalid:
                var violations = check.Anomalies.Where(a => a.Violation).Select(Describe);
                testCase.Add(new XElement(
                    "failure",
                    new XAttribute("message", XmlText(check.Summary)),
                    new XAttribute("type", "invalid"),
                    XmlText(string.Join("\n", violations))));
                break;
            case Verdict.Unknown:
                testCase.Add(new XElement(
                    "error", new XAttribute("message", XmlText(check.Summary)), new XAttribute("type", "unknown")));
                break;
        }
        return testCase;
    }

    private static string Describe(Anomaly anomaly)
    {
        var window = anomaly.EndNs is { } end
            ? $"{Seconds(anomaly.StartNs)}s..{Seconds(end)}s"
            : $"{Seconds(anomaly.StartNs)}s";
        return $"{anomaly.Kind} at {window} (group {anomaly.Group}; nodes {string.Join(",", anomaly.Nodes)}; " +
            $"terms {string.Join(",", anomaly.Terms.Select(t => t.ToString(CultureInfo.InvariantCulture)))}): " +
            $"{anomaly.Description}";
    }

    /// <summary>
    /// Drops characters XML cannot hold (e.g. a stray escape code in an error message), which would make saving throw.
    /// </summary>
    internal static string XmlText(string text)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                kept.Append(text, i++, 2);
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
        }
        return kept.ToString();
    }

    private static string Seconds(long ns) => (ns / 1e9).ToString("0.000", CultureInfo.InvariantCulture);
}
