using Coup.Faults;
using Coup.Reports.Matrix;

namespace Coup.Harness.Tests.Matrix;

/// <summary>
/// A matrix store's comparison.html and index.html, written from real simulator runs against a baseline,
/// read in a real browser at a wide and a narrow window: no load errors, every plot decodes, nothing wider
/// than the window. Screenshots are kept in the test output (screenshots/).
/// </summary>
[Trait("Category", "Browser")]
public sealed class ComparisonInBrowserTests(SimulatedMatrix sim) : IClassFixture<SimulatedMatrix>
{
    [BrowserTheory]
    [InlineData(ComparisonPage.FileName, 1400)]
    [InlineData(ComparisonPage.FileName, 800)]
    [InlineData(StoreIndex.FileName, 1400)]
    [InlineData(StoreIndex.FileName, 800)]
    public void GivenAMatrixStore_WhenItsPagesAreOpenedInChromium_ThenTheyLoadCleanlyAndEveryImageDecodes(
        string file, int widthPx)
    {
        var baseline = SimulatedMatrix.Result("2026-11-29T02:00:00Z",
            sim.Cell("raft", FaultKind.Kill, [1, 2, 3]), sim.Cell("raft", FaultKind.Amnesia, [1, 2]));
        var tonight = SimulatedMatrix.Result("2026-11-30T02:00:00Z",
            sim.Cell("raft", FaultKind.Kill, [4, 5, 6]),
            sim.Cell("raft", FaultKind.Amnesia, [1, 2], ranAlgorithm: "raft-forgets-vote"));
        StoreIndex.KeepNight(sim.Store.Root, baseline);
        StoreIndex.KeepNight(sim.Store.Root, tonight);
        MatrixOutputs.Write(sim.Store.Root, tonight, baseline);
        var page = Path.Combine(sim.Store.Root, file);

        var findings = HeadlessChromium.Open(page, widthPx);
        HeadlessChromium.Screenshot(page, widthPx, findings.HeightPx, Path.Combine(AppContext.BaseDirectory,
            "screenshots", $"{Path.GetFileNameWithoutExtension(file)}-{widthPx}.png"));

        Assert.Empty(findings.Errors);
        if (file == ComparisonPage.FileName)
        {
            Assert.NotEmpty(findings.Images);
        }
        Assert.All(findings.Images, i => Assert.True(i.WidthPx > 0 && i.HeightPx > 0,
            $"image '{i.Alt}' decoded to {i.WidthPx}x{i.HeightPx}"));
        Assert.Equal(widthPx, findings.ViewportWidthPx);
        Assert.True(findings.ScrollWidthPx <= findings.ViewportWidthPx,
            $"the page is {findings.ScrollWidthPx} px wide in a {findings.ViewportWidthPx} px window");
    }
}
