using System.Diagnostics;
using RgLens.Experiments;
using RgLens.Reporting.Correspondence;
using RgLens.Tests.Architecture;

namespace RgLens.Tests.Reporting;

public class CorrespondenceReportTests
{
    private static readonly Lazy<CorrespondenceResult> s_result = new(() => CorrespondenceExperiment.Run(RgLens.Tests.Experiments.TinyExperiment.Config()));

    [Fact]
    public void ReportOpensWithTheClaimsThenTheSummaryFigureAndHasEveryFigureInBothFormats()
    {
        using var dir = new TempDirectory();
        var files = CorrespondenceReport.Write(s_result.Value, dir.Path, "rglens correspond --test");
        string html = File.ReadAllText(dir.File("report.html"));
        int claims = html.IndexOf("id=\"claims\"", StringComparison.Ordinal);
        int summary = html.IndexOf("id=\"fig-claims\"", StringComparison.Ordinal);
        int comparisons = html.IndexOf("id=\"comparisons\"", StringComparison.Ordinal);
        int figures = html.IndexOf("id=\"figures\"", StringComparison.Ordinal);
        Assert.True(claims > 0 && claims < summary && summary < comparisons && comparisons < figures, "claims table, then the summary figure, then the details");
        // The claims table has one row per headline claim (at most 8) and names both controls.
        string table = html[claims..html.IndexOf("</table>", claims, StringComparison.Ordinal)];
        Assert.Equal(s_result.Value.Headline.Count, CountOf(table, "<tr class="));
        Assert.InRange(s_result.Value.Headline.Count, 1, 8);
        Assert.Contains("<th>untrained</th>", table);
        Assert.Contains("<th>null data</th>", table);
        foreach (string stem in new[] { "claims", "layers", "compression", "along-training", "losses" })
        {
            Assert.Contains(stem + ".png", files);
            Assert.Contains(stem + ".svg", files);
            Assert.True(new FileInfo(dir.File(stem + ".png")).Length > 1000);
            Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", File.ReadAllText(dir.File(stem + ".svg")));
        }
        Assert.Equal(5, CountOf(html, "data:image/png;base64,"));
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void ReportRendersCleanlyInHeadlessChromium()
    {
        using var dir = new TempDirectory();
        CorrespondenceReport.Write(s_result.Value, dir.Path, "rglens correspond --test");
        var (code, output) = Check(dir.File("report.html"));
        Assert.True(code == 0, output);
        Assert.Contains("5 images rendered", output);
    }

    [Fact]
    public void TheBrowserCheckFailsOnBrokenPages()
    {
        using var dir = new TempDirectory();
        const string text = "<p>The verdicts of a correspondence run would be here; this paragraph is long enough to count as a page with text, so only the defect under test can fail it.</p>";
        File.WriteAllText(dir.File("image.html"), $"<!DOCTYPE html><html><head><title>t</title></head><body>{text}{text}<img src=\"missing.png\" alt=\"gone\"></body></html>");
        File.WriteAllText(dir.File("console.html"), $"<!DOCTYPE html><html><head><title>t</title><script>console.error('boom');</script></head><body>{text}{text}</body></html>");
        File.WriteAllText(dir.File("empty.html"), "<!DOCTYPE html><html><head><title>t</title></head><body></body></html>");
        Assert.Contains("broken", Check(dir.File("image.html")).Output);
        Assert.Contains("boom", Check(dir.File("console.html")).Output);
        Assert.Contains("empty", Check(dir.File("empty.html")).Output);
        Assert.All(new[] { "image.html", "console.html", "empty.html" }, f => Assert.Equal(1, Check(dir.File(f)).Code));
    }

    private static (int Code, string Output) Check(string report)
    {
        string script = Path.Combine(NamespaceLayeringTests.RepositoryRoot(), "scripts", "check_report.py");
        var p = Process.Start(new ProcessStartInfo("python3", [script, report]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    private static int CountOf(string text, string fragment)
    {
        int n = 0;
        for (int i = text.IndexOf(fragment, StringComparison.Ordinal); i >= 0; i = text.IndexOf(fragment, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
