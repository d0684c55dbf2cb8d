using RgLens.IO;
using ScottPlot;

namespace RgLens.Reporting;

/// <summary>
/// A heatmap over two categorical axes, drawn as filled cells (ScottPlot rectangles) with a text
/// label in each: a diverging, colour-blind-safe scale (blue below zero, white at zero, orange
/// above) saturating at ±<see cref="Scale"/>, and the label naming what the colour alone cannot
/// (a verdict). Missing values are grey.
/// </summary>
public sealed class GridChart
{
    /// <summary>The title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The x-axis label.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The y-axis label.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>Category names along x (columns of the values).</summary>
    public required IReadOnlyList<string> XCategories { get; init; }

    /// <summary>Category names along y (rows of the values).</summary>
    public required IReadOnlyList<string> YCategories { get; init; }

    /// <summary>Values[y, x]; NaN for none.</summary>
    public required double[,] Values { get; init; }

    /// <summary>Labels[y, x] written in each cell (may be empty).</summary>
    public required string[,] Labels { get; init; }

    /// <summary>|value| at which the colour saturates.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>The chart as PNG bytes.</summary>
    public byte[] ToPng(int width, int height) => Build().GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>Writes the chart as SVG.</summary>
    public void SaveSvg(string path, int width, int height) => AtomicFile.WriteAllText(path, Build().GetSvgXml(width, height));

    /// <summary>The colour of a value: Okabe–Ito blue (#0072B2) below zero, orange (#E69F00) above, white at zero.</summary>
    public static string ColorOf(double value, double scale)
    {
        if (!double.IsFinite(value)) return "#BBBBBB";
        double t = Math.Clamp(Math.Abs(value) / scale, 0, 1);
        var (r, g, b) = value < 0 ? (0x00, 0x72, 0xB2) : (0xE6, 0x9F, 0x00);
        int Mix(int c) => (int)Math.Round(255 + (c - 255) * t);
        return $"#{Mix(r):X2}{Mix(g):X2}{Mix(b):X2}";
    }

    private Plot Build()
    {
        var plot = new Plot();
        int nx = XCategories.Count, ny = YCategories.Count;
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                var rect = plot.Add.Rectangle(x - 0.5, x + 0.5, y - 0.5, y + 0.5);
                rect.FillColor = Color.FromHex(ColorOf(Values[y, x], Scale));
                rect.LineColor = Color.FromHex("#FFFFFF");
                string label = Labels[y, x];
                if (label.Length > 0)
                {
                    var text = plot.Add.Text(label, x, y);
                    text.LabelFontSize = 12;
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = Color.FromHex("#1B1B1B");
                }
            }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, nx).Select(i => (double)i).ToArray(), XCategories.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, ny).Select(i => (double)i).ToArray(), YCategories.ToArray());
        plot.Axes.SetLimits(-0.5, nx - 0.5, -0.5, ny - 0.5);
        if (Title.Length > 0) plot.Title(Title);
        if (XLabel.Length > 0) plot.XLabel(XLabel);
        if (YLabel.Length > 0) plot.YLabel(YLabel);
        return plot;
    }
}
