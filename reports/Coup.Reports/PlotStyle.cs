using ScottPlot;

namespace Coup.Reports;

/// <summary>
/// Sizes that keep a plot legible where the page shows it: plots are 1000 px wide and the page
/// shrinks them to fit, to about 0.75 at an 800 px window, so text is drawn at 16-20 px to stay
/// at 12 px or more on screen.
/// </summary>
public static class PlotStyle
{
    public const int Width = 1000;
    private const float TickFontSize = 16;
    private const float LabelFontSize = 18;
    private const float TitleFontSize = 20;

    /// <summary>The plot as PNG, <see cref="Width"/> wide, its text at legible sizes.</summary>
    public static byte[] Png(Plot plot, int height)
    {
        plot.Axes.Title.Label.FontSize = TitleFontSize;
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left, plot.Axes.Right, plot.Axes.Top })
        {
            axis.Label.FontSize = LabelFontSize;
            axis.TickLabelStyle.FontSize = TickFontSize;
        }
        plot.Legend.FontSize = TickFontSize;
        return plot.GetImageBytes(Width, height, ImageFormat.Png);
    }
}
