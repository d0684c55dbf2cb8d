using System.Text.Json;
using RgLens.Exact;
using RgLens.IO;
using RgLens.Models;
using RgLens.Renormalization;

namespace RgLens.Tests.Cli;

/// <summary>The commands on the exponential-family chains (docs/families.md).</summary>
public class FamilyCommandTests
{
    [Fact]
    public void GaussianExactPrintsTheClosedForms()
    {
        var r = CliRunner.Run("exact", "--model", "gaussian", "--a", "2", "--K", "0.7", "--h", "0.3", "--N", "16", "--boundary", "open", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        var p = new GaussianParameters(2, 0.7, 0.3);
        var finite = doc.RootElement.GetProperty("finite");
        Assert.Equal(GaussianClosedForms.LogPartition(p, 16, Boundary.Open), finite.GetProperty("ln_z").GetDouble(), 1e-12);
        Assert.Equal(GaussianClosedForms.Mean(p), doc.RootElement.GetProperty("infinite").GetProperty("mean").GetDouble(), 1e-14);
        Assert.Equal(2.0, doc.RootElement.GetProperty("parameters").GetProperty("a").GetDouble());
        Assert.False(doc.RootElement.TryGetProperty("grid", out _));
    }

    [Fact]
    public void GaussianRgPrintsTheFlowAndTheMasslessPoint()
    {
        var r = CliRunner.Run("rg", "--model", "gaussian", "--a", "2", "--K", "0.7", "--h", "0.3", "--steps", "4", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        var flow = doc.RootElement.GetProperty("flow");
        var (q, g) = GaussianDecimation.StepClosedFormB2(new GaussianParameters(2, 0.7, 0.3));
        Assert.Equal(q.Precision, flow[1].GetProperty("a").GetDouble(), 1e-12);
        Assert.Equal(q.Coupling, flow[1].GetProperty("K").GetDouble(), 1e-12);
        Assert.Equal(q.Field, flow[1].GetProperty("h").GetDouble(), 1e-12);
        Assert.Equal(g, flow[1].GetProperty("g").GetDouble(), 1e-12);
        Assert.Equal(0.0, flow[1].GetProperty("projection_residual").GetDouble());
        var unstable = doc.RootElement.GetProperty("unstable_fixed_points")[0];
        Assert.Equal(0.5, unstable.GetProperty("K/a").GetDouble());
        Assert.Equal(4.0, unstable.GetProperty("eigenvalues")[0].GetDouble());
    }

    [Fact]
    public void GaussianSampleThenFitRecoversTheParameters()
    {
        using var dir = new TempDirectory();
        string path = dir.File("g.npy");
        var s = CliRunner.Run("sample", "--model", "gaussian", "--a", "2", "--K", "0.7", "--h", "0.3", "--N", "32", "--samples", "4000", "--out", path, "--json");
        Assert.Equal(0, s.ExitCode);
        using (var summary = JsonDocument.Parse(s.Output)) Assert.Equal("npy float64", summary.RootElement.GetProperty("format").GetString());
        Assert.Equal((4000, 32), (Npy.ReadMatrix<double>(path).Rows, Npy.ReadMatrix<double>(path).Columns));
        foreach (var method in new[] { "mle", "pseudo" })
        {
            var f = CliRunner.Run("fit", "--model", "gaussian", "--data", path, "--method", method, "--json");
            Assert.Equal(0, f.ExitCode);
            using var doc = JsonDocument.Parse(f.Output);
            foreach (var (name, truth) in new[] { ("a", 2.0), ("K", 0.7), ("h", 0.3) })
            {
                var e = doc.RootElement.GetProperty(name);
                Assert.True(Math.Abs(e.GetProperty("estimate").GetDouble() - truth) < Tolerances.StandardErrors * e.GetProperty("se").GetDouble(), $"{method} {name}");
            }
        }
    }

    [Theory]
    [InlineData("phi4", "--a", "-1", "--lambda", "0.5", "--K", "0.4", "--h", "0.1")]
    [InlineData("poisson", "--mu", "3", "--K", "-0.2")]
    [InlineData("gamma", "--alpha", "2", "--beta", "1", "--K", "-0.2")]
    public void GridFamiliesReportTheirGridInExactAndRg(string model, params string[] parameters)
    {
        var e = CliRunner.Run(["exact", "--model", model, .. parameters, "--N", "8", "--json"]);
        Assert.Equal(0, e.ExitCode);
        using (var doc = JsonDocument.Parse(e.Output))
        {
            var grid = doc.RootElement.GetProperty("grid");
            Assert.True(grid.GetProperty("points").GetInt32() > 8);
            Assert.True(grid.GetProperty("accuracy").GetDouble() <= 1e-10);
            var p = ChainFamilies.Find(model).Create(parameters.Where((_, i) => i % 2 == 1).Select(double.Parse).ToArray());
            var expected = ExactSolver.Solve(new ChainModel(p, 8));
            Assert.Equal(expected.Finite.LogPartition!.Value, doc.RootElement.GetProperty("finite").GetProperty("ln_z").GetDouble(), 1e-12);
        }
        var r = CliRunner.Run(["rg", "--model", model, .. parameters, "--b", "3", "--steps", "3", "--json"]);
        Assert.Equal(0, r.ExitCode);
        using (var doc = JsonDocument.Parse(r.Output))
        {
            var step = doc.RootElement.GetProperty("flow")[1];
            Assert.True(step.GetProperty("projection_residual").GetDouble() > 0);
            Assert.True(step.GetProperty("grid").GetProperty("points").GetInt32() > 8);
            Assert.Equal(0.0, doc.RootElement.GetProperty("fixed_point").GetProperty("K").GetDouble());
            Assert.True(doc.RootElement.GetProperty("fixed_point").GetProperty("stable").GetBoolean());
        }
        var table = CliRunner.Run(["rg", "--model", model, .. parameters, "--steps", "2"]);
        Assert.Contains("KL", table.Output);
    }

    [Theory]
    [InlineData("phi4", "npy float64", "--a", "-1", "--lambda", "0.5", "--K", "0.4", "--h", "0.2")]
    [InlineData("poisson", "npy int32", "--mu", "3", "--K", "-0.2")]
    [InlineData("bernoulli", "npy int8", "--eta", "-1", "--K", "1.2")]
    public void SampleThenFitRecoversTheParameters(string model, string format, params string[] parameters)
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.npy");
        var s = CliRunner.Run(["sample", "--model", model, .. parameters, "--N", "16", "--samples", "2000", "--out", path, "--json"]);
        Assert.Equal(0, s.ExitCode);
        using (var summary = JsonDocument.Parse(s.Output)) Assert.Equal(format, summary.RootElement.GetProperty("format").GetString());
        using (var manifest = JsonDocument.Parse(File.ReadAllText(path + ".run.json")))
            Assert.True(manifest.RootElement.GetProperty("results").TryGetProperty("grid", out _));
        var f = CliRunner.Run("fit", "--model", model, "--data", path, "--method", "pseudo", "--replicates", "100", "--json");
        Assert.Equal(0, f.ExitCode);
        using var doc = JsonDocument.Parse(f.Output);
        for (int i = 0; i < parameters.Length; i += 2)
        {
            var e = doc.RootElement.GetProperty(parameters[i][2..]);
            Assert.True(Math.Abs(e.GetProperty("estimate").GetDouble() - double.Parse(parameters[i + 1])) < Tolerances.StandardErrors * e.GetProperty("se").GetDouble(), parameters[i]);
        }
    }

    [Fact]
    public void BenchSampleAndRgRunOnTheFamilies()
    {
        var s = CliRunner.Run("bench", "sample", "--model", "phi4", "--N", "32", "--batch", "64", "--seconds", "0.05", "--threads", "1");
        Assert.Equal(0, s.ExitCode);
        using (var doc = JsonDocument.Parse(s.Output))
        {
            Assert.Equal("phi4", doc.RootElement.GetProperty("model").GetString());
            Assert.True(doc.RootElement.GetProperty("results")[0].GetProperty("samples_per_s").GetDouble() > 0);
        }
        var r = CliRunner.Run("bench", "rg", "--model", "gamma", "--repeats", "1");
        Assert.Equal(0, r.ExitCode);
        using (var doc = JsonDocument.Parse(r.Output)) Assert.True(doc.RootElement.GetProperty("median_ms_per_step").GetDouble() > 0);
    }
}
