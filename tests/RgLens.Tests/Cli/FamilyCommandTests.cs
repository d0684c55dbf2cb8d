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
}
