using RgLens.IO;
using ScottPlot;

namespace RgLens.Reporting;

/// <summary>
/// A line chart rendered headlessly to PNG or SVG with ScottPlot: series with optional error bars,
/// a title, axis labels, optional logarithmic axes, integer or category ticks, reference lines, and
/// a legend outside the data area. Files are written atomically.
/// </summary>
public sealed class LineChart
{
    private readonly List<ChartSeries> _series = [];

    /// <summary>The title above the plot.</summary>
    public string Title { get; init; } = "";

    /// <summary>The x-axis label.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The y-axis label.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>Whether the y axis is logarithmic (base 10; points with y ≤ 0 are left out).</summary>
    public bool LogY { get; init; }

    /// <summary>Whether the x axis is logarithmic (base 10; points with x ≤ 0 are left out).</summary>
    public bool LogX { get; init; }

    /// <summary>Whether the x axis shows whole numbers only (layers, log2 b).</summary>
    public bool IntegerX { get; init; }

    /// <summary>Category names at x = 0, 1, 2, … instead of numeric ticks.</summary>
    public IReadOnlyList<string>? XCategories { get; init; }

    /// <summary>Horizontal reference lines (y, dashed, grey), e.g. a margin band.</summary>
    public IReadOnlyList<double> HorizontalLines { get; init; } = [];

    /// <summary>The series added so far.</summary>
    public IReadOnlyList<ChartSeries> Series => _series;

    /// <summary>Adds a series and returns this chart.</summary>
    /// <exception cref="ArgumentException">The series' lists differ in length.</exception>
    public LineChart Add(ChartSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        series.Validate();
        _series.Add(series);
        return this;
    }

    /// <summary>The chart as PNG bytes.</summary>
    public byte[] ToPng(int width = 800, int height = 500) => Build(dashes: true).GetImageBytes(CheckSize(width), CheckSize(height), ImageFormat.Png);

    /// <summary>The chart as an SVG document.</summary>
    public string ToSvg(int width = 800, int height = 500) => Build(dashes: false).GetSvgXml(CheckSize(width), CheckSize(height));

    /// <summary>Writes the chart as PNG to <paramref name="path"/> atomically.</summary>
    public void SavePng(string path, int width = 800, int height = 500) => AtomicFile.WriteAllBytes(path, ToPng(width, height));

    /// <summary>Writes the chart as SVG to <paramref name="path"/> atomically.</summary>
    public void SaveSvg(string path, int width = 800, int height = 500) => AtomicFile.WriteAllText(path, ToSvg(width, height));

    /// <summary>
    /// The ScottPlot plot. Skia's SVG backend cannot draw path effects (it prints "Unsupported path
    /// effect" from native code and draws the line solid), so dashed series are dashed in PNG only.
    /// </summary>
    private Plot Build(bool dashes)
    {
        var plot = new Plot();
        double low = double.PositiveInfinity, high = double.NegativeInfinity, left = double.PositiveInfinity, right = double.NegativeInfinity;
        foreach (double yLine in HorizontalLines)
        {
            var h = plot.Add.HorizontalLine(yLine);
            h.Color = ScottPlot.Color.FromHex("#888888");
            h.LineWidth = 1;
            if (dashes) h.LinePattern = LinePattern.Dashed;
        }
        foreach (var s in _series)
        {
            var (x, y, e) = Points(s);
            if (x.Length == 0) continue;
            low = Math.Min(low, y.Min());
            high = Math.Max(high, y.Max());
            left = Math.Min(left, x.Min());
            right = Math.Max(right, x.Max());
            var line = plot.Add.Scatter(x, y);
            line.LegendText = s.Label;
            if (s.Color is { } hex) line.Color = ScottPlot.Color.FromHex(hex);
            if (s.MarkersOnly) line.LineWidth = 0;
            line.MarkerSize = s.MarkersOnly ? 9 : 6;
            if (s.Dashed && dashes) line.LinePattern = LinePattern.Dashed;
            if (e is not null)
            {
                var bars = plot.Add.ErrorBar(x, y, e);
                bars.Color = line.Color;
            }
        }
        if (Title.Length > 0) plot.Title(Title);
        if (XLabel.Length > 0) plot.XLabel(XLabel);
        if (YLabel.Length > 0) plot.YLabel(YLabel);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (LogY && LogTicks(low, high) is { Length: > 0 } ticks)
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ticks.Select(Math.Log10).ToArray(), ticks.Select(TickLabel).ToArray());
        if (LogX && LogTicks(left, right) is { Length: > 0 } xticks)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                xticks.Select(Math.Log10).ToArray(), xticks.Select(TickLabel).ToArray());
        if (XCategories is { Count: > 0 } categories)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(), categories.ToArray());
            plot.Axes.SetLimitsX(-0.6, categories.Count - 0.4);
        }
        else if (IntegerX && double.IsFinite(left) && double.IsFinite(right))
        {
            var ints = Enumerable.Range((int)Math.Floor(left), (int)Math.Ceiling(right) - (int)Math.Floor(left) + 1).Select(i => (double)i).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ints, ints.Select(i => i.ToString(c)).ToArray());
            plot.Axes.SetLimitsX(left - 0.3, right + 0.3);
        }
        // Legends sit outside the data area, to the right, so that they never cover a point.
        if (_series.Count(s => s.Label.Length > 0) > 1) plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>The finite points of a series (y as log₁₀ y on a log axis, the error bars mapped to its half-widths in log space).</summary>
    private (double[] X, double[] Y, double[]? Errors) Points(ChartSeries s)
    {
        var x = new List<double>();
        var y = new List<double>();
        var e = s.Errors is null ? null : new List<double>();
        for (int i = 0; i < s.X.Count; i++)
        {
            double xi = s.X[i], yi = s.Y[i], ei = s.Errors?[i] ?? 0;
            if (!double.IsFinite(xi) || !double.IsFinite(yi) || !double.IsFinite(ei)) continue;
            if (LogX)
            {
                if (xi <= 0) continue;
                xi = Math.Log10(xi);
            }
            if (LogY)
            {
                if (yi <= 0) continue;
                ei = yi - ei > 0 ? (Math.Log10(yi + ei) - Math.Log10(yi - ei)) / 2 : 0;
                yi = Math.Log10(yi);
            }
            x.Add(xi);
            y.Add(yi);
            e?.Add(Math.Abs(ei));
        }
        return (x.ToArray(), y.ToArray(), e?.ToArray());
    }

    /// <summary>Tick values for a log axis: 1-2-5 steps per decade over the data's range, or every digit when that gives fewer than three.</summary>
    private static double[] LogTicks(double logLow, double logHigh)
    {
        if (!double.IsFinite(logLow) || !double.IsFinite(logHigh)) return [];
        double lo = Math.Pow(10, logLow), hi = Math.Pow(10, logHigh);
        foreach (int[] mantissas in new[] { new[] { 1 }, [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9] })
        {
            var ticks = new List<double>();
            for (int e = (int)Math.Floor(Math.Log10(lo)); e <= (int)Math.Ceiling(Math.Log10(hi)); e++)
                foreach (int m in mantissas)
                {
                    double t = m * Math.Pow(10, e);
                    if (t >= lo * 0.999 && t <= hi * 1.001) ticks.Add(t);
                }
            if (ticks.Count >= 3 || mantissas.Length == 9) return ticks.ToArray();
        }
        return [];
    }

    /// <summary>A log-axis tick as plain digits between 1e-4 and 1e6 (1000, not 1E+03), else 3 significant digits.</summary>
    private static string TickLabel(double t) =>
        t >= 1e-4 && t < 1e6 ? t.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : t.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);

    private static int CheckSize(int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixels, 16384);
        return pixels;
    }
}
