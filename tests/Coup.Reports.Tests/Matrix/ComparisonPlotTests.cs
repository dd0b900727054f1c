using System.Globalization;
using System.Xml.Linq;
using Coup.Checkers;
using Coup.Reports.Matrix;

namespace Coup.Reports.Tests.Matrix;

/// <summary>
/// The comparison page's failover plot stays legible however many targets a matrix has: one row per
/// target, the plot growing a fixed pitch per row, no two pieces of text on top of each other, and no text
/// smaller than 12 px when the page is read in an 800 px window.
/// </summary>
public sealed class ComparisonPlotTests
{
    /// <summary>The widest the plot is drawn in an 800 px window: the page's margins take the rest.</summary>
    private const double NarrowImageWidthPx = 752;

    private const double SmallestLegibleFontPx = 12;

    [Fact]
    public void GivenMoreTargets_WhenPlotted_ThenThePlotGrowsOneRowPitchPerTarget()
    {
        var three = Height(ComparisonPlot.RenderSvg("kill", Targets(3, withBaseline: false)));
        var eighteen = Height(ComparisonPlot.RenderSvg("kill", Targets(18, withBaseline: false)));

        Assert.Equal(ComparisonPlot.HeightPx(3, hasBaseline: false), three);
        Assert.Equal(15 * ComparisonPlot.RowHeightPx, eighteen - three);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenEighteenLongTargetLabelsSomeWithoutFailover_WhenPlotted_ThenNoTwoTextsOverlap(
        bool withBaseline)
    {
        var svg = ComparisonPlot.RenderSvg("amnesia", Targets(18, withBaseline));

        var texts = Texts(svg);

        Assert.Contains(texts, t => t.Text == "no failover");
        Assert.Contains(texts, t => t.Text == "raft-prevote-checkquorum-17");
        var overlaps = texts.SelectMany((a, i) => texts.Skip(i + 1).Where(b => a.Overlaps(b))
            .Select(b => $"'{a.Text}' and '{b.Text}'")).ToList();
        Assert.Empty(overlaps);
    }

    [Fact]
    public void GivenEighteenTargets_WhenPlotted_ThenEveryTextIsLegibleInAnEightHundredPixelWindow()
    {
        var svg = ComparisonPlot.RenderSvg("amnesia", Targets(18, withBaseline: true));

        var scale = NarrowImageWidthPx / ComparisonPlot.Width;

        Assert.All(Texts(svg), t => Assert.True(t.FontSizePx * scale >= SmallestLegibleFontPx,
            $"'{t.Text}' is {t.FontSizePx * scale:0.#} px in an 800 px window"));
    }

    /// <summary>
    /// <paramref name="count"/> targets with labels as long as the nightly matrix's; every fifth has no
    /// failover, and one is a hundred times slower than the rest.
    /// </summary>
    private static List<(string, CellResult, CellResult?)> Targets(int count, bool withBaseline)
    {
        var random = new Random(13);
        return Enumerable.Range(0, count).Select(index =>
        {
            var target = $"raft-prevote-checkquorum-{index}";
            var medianMs = index == 3 ? 25_000 : 200;
            var tonight = index % 5 == 4
                ? Matrices.Cell(target, "amnesia", Matrices.Run(1, Verdict.Valid))
                : Matrices.Cell(target, "amnesia", Matrices.Runs(random, 10, 3, medianMs));
            var baseline = withBaseline
                ? Matrices.Cell(target, "amnesia", Matrices.Runs(random, 10, 3, medianMs))
                : null;
            return ($"{target} (sim, 5 nodes)", tonight, baseline);
        }).ToList();
    }

    private static int Height(string svg) =>
        int.Parse(XDocument.Parse(svg).Root!.Attribute("height")!.Value, CultureInfo.InvariantCulture);

    private sealed record SvgText(string Text, double FontSizePx, double Left, double Right, double Top, double Bottom)
    {
        public bool Overlaps(SvgText other) =>
            Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;
    }

    /// <summary>
    /// Every text element's box: ScottPlot writes each glyph's x and the baseline's y, offset by a translate;
    /// a glyph is at most 0.7 em wide, ascends 0.8 em and descends 0.25 em.
    /// </summary>
    private static List<SvgText> Texts(string svg)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        return XDocument.Parse(svg).Descendants(ns + "text").Select(element =>
        {
            var fontSizePx = Number(element.Attribute("font-size")!.Value);
            var translate = element.Attribute("transform")!.Value;
            var offset = translate["translate(".Length..^1].Split(' ').Select(Number).ToArray();
            var xs = Numbers(element.Attribute("x")!.Value);
            var y = offset[1] + Numbers(element.Attribute("y")!.Value)[0];
            return new SvgText(element.Value.Trim(), fontSizePx,
                offset[0] + xs.Min(), offset[0] + xs.Max() + 0.7 * fontSizePx,
                y - 0.8 * fontSizePx, y + 0.25 * fontSizePx);
        }).ToList();
    }

    private static double[] Numbers(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Number).ToArray();

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
