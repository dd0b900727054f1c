using System.Text;
using Coup.History;

namespace Coup.Checkers.Tests;

/// <summary>A packet fault's line as docs/history.md describes it: its links and all five figures.</summary>
public sealed class PacketHistoryTests
{
    private const string Figures = "'lossPercent':30,'delayMs':0,'jitterMs':0,'duplicatePercent':0,'reorderPercent':0";

    private static string Json(string singleQuoted) => singleQuoted.Replace('\'', '"');

    private static string HistoryWith(string faultFields) => string.Concat(new[]
    {
        "{'type':'run-start','time':0,'test':'t','algorithm':'raft','runtime':'sim','nodes':['n1','n2','n3'],"
            + "'seed':1,'nemesis':['packet-loss=30:leader','packet-delay=150~30'],'timeLimitS':10,'intervalS':5,"
            + "'startedAt':'2026-01-01T00:00:00Z'}",
        "{'type':'state','time':10,'node':'n1','role':'leader','term':1,'leader':'n1'}",
        $"{{'type':'fault','time':40,'phase':'start','kind':'packet','targets':['n1'],{faultFields}}}",
        $"{{'type':'fault','time':50,'phase':'stop','kind':'packet','targets':['n1'],{faultFields}}}",
        "{'type':'run-end','time':100,'reason':'time-limit','healedNs':90}",
    }.Select(l => Json(l) + "\n"));

    private static RunHistory Parse(string text) => RunHistory.Parse(Encoding.UTF8.GetBytes(text), "h.jsonl");

    [Fact]
    public void Given_a_packet_fault_with_its_links_and_figures_When_read_Then_they_are_kept()
    {
        var history = Parse(HistoryWith($"'links':['n1->n2','n2->n1'],{Figures}"));

        var start = history.Faults.First();
        Assert.Equal(FaultKinds.Packet, start.Kind);
        Assert.Equal(["n1->n2", "n2->n1"], start.Links);
        Assert.Equal((30, 0), (start.LossPercent, start.DelayMs));
        Assert.Single(history.FaultSpans);
    }

    [Theory]
    [InlineData(Figures, "a packet fault with no 'links'")]
    [InlineData("'links':['n1-n2']," + Figures, "link 'n1-n2' is not FROM->TO between two nodes")]
    [InlineData("'links':['n1->n9']," + Figures, "a link's node 'n9' is not one of the run's nodes")]
    [InlineData("'links':['n1->n2'],'lossPercent':30", "a packet fault without all of lossPercent, delayMs")]
    public void Given_a_packet_fault_missing_its_shape_When_read_Then_one_line_says_what(string fields, string words)
    {
        var error = Assert.Throws<HistoryFormatException>(() => Parse(HistoryWith(fields)));

        Assert.StartsWith("h.jsonl:3: ", error.Message);
        Assert.Contains(words, error.Message);
    }

    [Fact]
    public void Given_a_kill_with_links_When_read_Then_it_is_refused_as_only_packet_faults_carry_them()
    {
        var text = HistoryWith($"'links':['n1->n2'],{Figures}").Replace("\"packet\"", "\"kill\"");

        var error = Assert.Throws<HistoryFormatException>(() => Parse(text));

        Assert.Contains("a kill carries 'links'; only packet faults do", error.Message);
    }
}
