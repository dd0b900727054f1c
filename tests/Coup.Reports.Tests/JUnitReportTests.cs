using System.Xml.Linq;

namespace Coup.Reports.Tests;

public sealed class JUnitReportTests(RealisticReport report) : IClassFixture<RealisticReport>
{
    private XElement Suite => XDocument.Load(report.PathOf(Report.JUnitFile)).Root!.Element("testsuite")!;

    private XElement Case(string checker) =>
        Suite.Elements("testcase").Single(c => (string?)c.Attribute("name") == checker);

    [Fact]
    public void GivenSevenChecks_WhenJUnitIsWritten_ThenItParsesWithOneTestCasePerCheck()
    {
        Assert.Equal("testsuites", XDocument.Load(report.PathOf(Report.JUnitFile)).Root!.Name.LocalName);
        Assert.Equal(
            report.Results.Checks.Select(c => c.Checker),
            Suite.Elements("testcase").Select(c => (string?)c.Attribute("name")));
        Assert.Equal("7", (string?)Suite.Attribute("tests"));
        Assert.All(Suite.Elements("testcase"), c => Assert.Equal("coup.raft", (string?)c.Attribute("classname")));
    }

    [Fact]
    public void GivenAnInvalidCheck_WhenJUnitIsWritten_ThenItsCaseFailsListingTheViolation()
    {
        var failure = Case("election-safety").Element("failure");

        Assert.NotNull(failure);
        Assert.Equal("term 4 had two leaders", (string?)failure.Attribute("message"));
        Assert.Contains("same-term-leaders", failure.Value);
        Assert.Contains("nodes n4,n5", failure.Value);
        Assert.Equal("2", (string?)Suite.Attribute("failures"));
    }

    [Fact]
    public void GivenAnInvalidCheck_WhenJUnitIsWritten_ThenItsFailureListsOnlyViolations() =>
        Assert.DoesNotContain("stale-leader", Case("split-brain").Element("failure")!.Value);

    [Fact]
    public void GivenAnUnknownCheck_WhenJUnitIsWritten_ThenItsCaseIsAnError()
    {
        var error = Case("term-monotonicity").Element("error");

        Assert.NotNull(error);
        Assert.Equal("n5's event stream was lost for 2 s", (string?)error.Attribute("message"));
        Assert.Equal("1", (string?)Suite.Attribute("errors"));
    }

    [Fact]
    public void GivenAnInvalidRun_WhenJUnitIsWritten_ThenTheSuiteCarriesTheCombinedVerdict()
    {
        var property = Suite.Element("properties")!.Elements("property")
            .Single(p => (string?)p.Attribute("name") == "verdict");

        Assert.Equal("invalid", (string?)property.Attribute("value"));
    }

    [Fact]
    public void GivenAValidCheck_WhenJUnitIsWritten_ThenItsCaseIsPlain() =>
        Assert.Empty(Case("liveness").Elements());

    [Fact]
    public void GivenARun_WhenJUnitIsWritten_ThenSystemOutHoldsTheSeedAndTheReproduceCommand()
    {
        var output = Suite.Element("system-out")!.Value;

        Assert.Contains("seed 42", output);
        Assert.Contains(Report.Reproduce(report.History.Run), output);
    }

    [Fact]
    public void GivenARun_WhenJUnitIsWritten_ThenTheFileHasNoByteOrderMark() =>
        Assert.Equal((byte)'<', File.ReadAllBytes(report.PathOf(Report.JUnitFile))[0]);
}
