using System.Text.Json;
using RgLens.Exact;
using RgLens.IO;
using RgLens.Models;

namespace RgLens.Tests.Cli;

public class CommandTests
{
    [Fact]
    public void ExactPrintsTheLibrarysNumbersAsJson()
    {
        var r = CliRunner.Run("exact", "--K", "0.7", "--h", "0.2", "--N", "64", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        var expected = ExactSolver.Solve(new ChainModel(new IsingParameters(0.7, 0.2), 64));
        var finite = doc.RootElement.GetProperty("finite");
        Assert.Equal(expected.Finite.LogPartition!.Value, finite.GetProperty("ln_z").GetDouble(), 1e-12);
        Assert.Equal(expected.Finite.Mean, finite.GetProperty("magnetization").GetDouble(), 1e-15);
        Assert.Equal(expected.Infinite.CorrelationLength, doc.RootElement.GetProperty("infinite").GetProperty("correlation_length").GetDouble(), 1e-12);
        foreach (var key in new[] { "free_energy_per_site", "nearest_neighbour_correlation", "correlation_length" })
            Assert.True(finite.TryGetProperty(key, out _), key);
    }

    [Fact]
    public void ExactHandlesTheIssuesStressCase()
    {
        var r = CliRunner.Run("exact", "--K", "20", "--N", "1000000", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("NaN", r.Output);
        using var doc = JsonDocument.Parse(r.Output);
        Assert.Equal(2e7 + Math.Log(2), doc.RootElement.GetProperty("finite").GetProperty("ln_z").GetDouble(), 1e-6);
    }

    [Fact]
    public void RgPrintsTheFlowAndFixedPoints()
    {
        var r = CliRunner.Run("rg", "--K", "1.0", "--h", "0.1", "--b", "2", "--steps", "8", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Output);
        var flow = doc.RootElement.GetProperty("flow");
        Assert.Equal(9, flow.GetArrayLength());
        Assert.Equal(1.0, flow[0].GetProperty("K").GetDouble());
        var (k1, h1, g1) = RgLens.Renormalization.IsingDecimation.StepClosedFormB2(1.0, 0.1);
        Assert.Equal(k1, flow[1].GetProperty("K").GetDouble(), 1e-12);
        Assert.Equal(h1, flow[1].GetProperty("h").GetDouble(), 1e-12);
        Assert.Equal(g1, flow[1].GetProperty("g").GetDouble(), 1e-12);
        var fp = doc.RootElement.GetProperty("fixed_point");
        Assert.Equal(0.0, fp.GetProperty("K").GetDouble());
        Assert.Equal(Math.Atanh(IsingClosedForms.Magnetization(1.0, 0.1)), fp.GetProperty("h").GetDouble(), 1e-12);
        Assert.True(fp.GetProperty("stable").GetBoolean());
        Assert.Equal(2, fp.GetProperty("eigenvalues").GetArrayLength());
        var unstable = doc.RootElement.GetProperty("unstable_fixed_points")[0];
        Assert.Equal("Infinity", unstable.GetProperty("K").GetString());
        Assert.False(unstable.GetProperty("stable").GetBoolean());
    }

    [Fact]
    public void RgDefaultIsAReadableTable()
    {
        var r = CliRunner.Run("rg", "--K", "1.0", "--h", "0.1", "--steps", "3");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("step", r.Output);
        Assert.Contains("fixed point θ*: stable", r.Output);
        Assert.Equal(4 + 1, r.Output.Split('\n').Count(l => l.Contains('│') && char.IsDigit(l.Trim('│', ' ').FirstOrDefault())) + 1);
    }

    [Fact]
    public void SampleThenFitRecoversTheParameters()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.npy");
        var s = CliRunner.Run("sample", "--model", "ising", "--K", "0.7", "--h", "0", "--N", "64", "--samples", "5000", "--seed", "1", "--out", path);
        Assert.Equal(0, s.ExitCode);
        Assert.True(File.Exists(path + ".run.json"));
        using (var manifest = JsonDocument.Parse(File.ReadAllText(path + ".run.json")))
        {
            Assert.Equal(1, manifest.RootElement.GetProperty("seed").GetInt32());
            Assert.Equal(5000, manifest.RootElement.GetProperty("parameters").GetProperty("samples").GetInt32());
        }
        var data = Npy.ReadMatrix<sbyte>(path);
        Assert.Equal((5000, 64), (data.Rows, data.Columns));

        var f = CliRunner.Run("fit", "--data", path, "--method", "pseudo", "--json");
        Assert.Equal(0, f.ExitCode);
        using var doc = JsonDocument.Parse(f.Output);
        var k = doc.RootElement.GetProperty("K");
        var ci = k.GetProperty("ci");
        Assert.InRange(0.7, ci[0].GetDouble(), ci[1].GetDouble());
        Assert.Equal("pseudo", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(5000, doc.RootElement.GetProperty("n_samples").GetInt32());
        Assert.True(doc.RootElement.GetProperty("h").TryGetProperty("estimate", out _));
    }

    [Fact]
    public void SameSeedSameBytes()
    {
        using var dir = new TempDirectory();
        foreach (string ext in new[] { "npy", "csv" })
        {
            string a = dir.File("a." + ext), b = dir.File("b." + ext);
            Assert.Equal(0, CliRunner.Run("sample", "--K", "0.4", "--h", "0.3", "--N", "33", "--samples", "300", "--seed", "9", "--out", a, "--threads", "1").ExitCode);
            Assert.Equal(0, CliRunner.Run("sample", "--K", "0.4", "--h", "0.3", "--N", "33", "--samples", "300", "--seed", "9", "--out", b, "--threads", "2").ExitCode);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        }
    }

    [Fact]
    public void FitTableMentionsWarnings()
    {
        using var dir = new TempDirectory();
        string path = dir.File("up.csv");
        File.WriteAllText(path, string.Join('\n', Enumerable.Repeat("1,1,1,1", 20)) + "\n");
        var r = CliRunner.Run("fit", "--data", path, "--replicates", "10");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning:", r.Output);
        Assert.Contains("∞", r.Output);
    }
}
