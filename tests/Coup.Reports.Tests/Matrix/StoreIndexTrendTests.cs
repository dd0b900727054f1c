using System.Text;
using System.Text.RegularExpressions;
using Coup.Reports.Matrix;

namespace Coup.Reports.Tests.Matrix;

public sealed class StoreIndexTrendTests
{
    /// <summary>
    /// The trend is an SVG, and Skia's SVG device draws dash patterns solid: p50 and p99 must differ in
    /// something it keeps, the line's width.
    /// </summary>
    [Fact]
    public void GivenTwoNights_WhenTheIndexIsRendered_ThenP50AndP99LinesDifferInWidth()
    {
        var random = new Random(3);
        Night Night(string date) => new(date,
            Matrices.Of(Matrices.Cell("raft", "kill", Matrices.Runs(random, runs: 3, perRun: 8, medianMs: 300))));
        var store = Directory.CreateTempSubdirectory("coup-index-").FullName;
        try
        {
            var html = StoreIndex.Render(store, [], [Night("2026-11-30"), Night("2026-12-01")]);

            var svg = Encoding.UTF8.GetString(Convert.FromBase64String(
                Regex.Match(html, "data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)").Groups[1].Value));
            var widths = Regex.Matches(svg, "stroke-width=\"([0-9.]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
            Assert.Contains("2.5", widths);
            Assert.Contains("1", widths);
            Assert.DoesNotContain("stroke-dasharray", svg);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
