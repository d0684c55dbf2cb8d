using RgLens.Reporting;

namespace RgLens.Tests.Reporting;

public sealed class LineChartTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string _dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private static LineChart Chart(bool logY = false) => new LineChart { Title = "Loss curve", XLabel = "epoch", YLabel = "loss", LogY = logY }
        .Add(new ChartSeries("training", [1, 2, 3, 4], [1.0, 0.5, 0.3, 0.2]))
        .Add(new ChartSeries("validation", [1, 2, 3, 4], [1.1, 0.6, double.NaN, 0.25], [0.1, 0.05, 0.05, 0.02]));

    [Fact]
    public void WritesPngAndSvgWithTitleAndLabels()
    {
        string png = Path.Combine(_dir, "c.png"), svg = Path.Combine(_dir, "c.svg");
        Chart().SavePng(png, 400, 300);
        Chart(logY: true).SaveSvg(svg, 400, 300);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        string text = File.ReadAllText(svg);
        Assert.Contains("<svg", text);
        foreach (string label in new[] { "Loss curve", "epoch", "loss", "training", "validation" }) Assert.Contains(label, text);
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Fact]
    public void LogAxisLabelsOneTwoFiveTicksAndLeavesOutNonPositiveValues()
    {
        // y from 0.15 to 0.9 (0 and -1 dropped): inside one decade, so ticks at 0.2, 0.5 and every digit.
        var chart = new LineChart { LogY = true }.Add(new ChartSeries("s", [1, 2, 3, 4, 5], [0, -1, 0.9, 0.4, 0.15]));
        string svg = chart.ToSvg(300, 300);
        var labels = System.Text.RegularExpressions.Regex.Matches(svg, @">\s*([^<>]*?)\s*</text>").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "0.2", "0.5", "0.8" }, labels);
        Assert.DoesNotContain("-1", labels);
    }

    [Fact]
    public void MismatchedSeriesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new LineChart().Add(new ChartSeries("s", [1, 2], [1])));
        Assert.Throws<ArgumentException>(() => new LineChart().Add(new ChartSeries("s", [1, 2], [1, 2], [0.1])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Chart().ToPng(0, 100));
    }
}
