using System.Diagnostics;
using RgLens.Experiments;
using RgLens.Reporting.Correspondence;
using RgLens.Tests.Architecture;

namespace RgLens.Tests.Reporting;

public class CorrespondenceReportTests
{
    private static readonly Lazy<CorrespondenceResult> s_result = new(() => CorrespondenceExperiment.Run(RgLens.Tests.Experiments.TinyExperiment.Config()));

    [Fact]
    public void ReportOpensWithTheVerdictsAndHasEveryFigureInBothFormats()
    {
        using var dir = new TempDirectory();
        var files = CorrespondenceReport.Write(s_result.Value, dir.Path, "rglens correspond --test");
        string html = File.ReadAllText(dir.File("report.html"));
        int verdicts = html.IndexOf("id=\"verdicts\"", StringComparison.Ordinal);
        int figures = html.IndexOf("id=\"figures\"", StringComparison.Ordinal);
        Assert.True(verdicts > 0 && verdicts < figures, "the verdict table must come first");
        foreach (string stem in new[] { "rg-flow", "layers-K", "layers-h", "compression", "along-training", "order-free", "losses" })
        {
            Assert.Contains(stem + ".png", files);
            Assert.Contains(stem + ".svg", files);
            Assert.True(new FileInfo(dir.File(stem + ".png")).Length > 1000);
            Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", File.ReadAllText(dir.File(stem + ".svg")));
        }
        Assert.Equal(7, CountOf(html, "data:image/png;base64,"));
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
        Assert.Contains("7 images rendered", output);
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
