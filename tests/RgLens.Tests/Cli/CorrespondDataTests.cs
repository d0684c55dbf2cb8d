using System.Diagnostics;
using System.Text.Json;
using RgLens.Tests.Architecture;

namespace RgLens.Tests.Cli;

/// <summary><c>correspond --data</c> on configurations drawn by NumPy, not by RgLens.</summary>
public class CorrespondDataTests
{
    /// <summary>Exact periodic Ising samples drawn by scripts/numpy_ising_samples.py (NumPy alone), as an int8 NPY in <paramref name="dir"/>.</summary>
    internal static string NumpySamples(TempDirectory dir, int n, int samples, double k, double h, int seed)
    {
        string script = Path.Combine(NamespaceLayeringTests.RepositoryRoot(), "scripts", "numpy_ising_samples.py");
        string file = dir.File($"x-{seed}.npy");
        var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, file, n.ToString(), samples.ToString(), k.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            h.ToString("R", System.Globalization.CultureInfo.InvariantCulture), seed.ToString()]) { RedirectStandardError = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "NumPy is needed (python3-numpy): " + err);
        return file;
    }

    private static string[] Small(string folder, params string[] extra) =>
        ["correspond", "--quick", "--N", "16", "--compressions", "2,4", "--train-samples", "1024", "--probe-samples", "1024", "--epochs", "6", "--replicates", "20",
         "--objectives", "autoencoder", "--readings", "sign", "--seeds", "3", "--json", "--out", folder, .. extra];

    [Fact]
    public void FitsTheirTheta0AndReproducesTheBuiltInModelsVerdicts()
    {
        using var dir = new TempDirectory();
        string data = NumpySamples(dir, 16, 6000, 0.8, 0.2, 11);
        var fromData = CliRunner.Run(Small(dir.File("data"), "--data", data));
        Assert.True(fromData.ExitCode == 0, fromData.Error);
        using var run = JsonDocument.Parse(File.ReadAllText(dir.File("data/run.json")));
        var fit = run.RootElement.GetProperty("parameters").GetProperty("config").GetProperty("data");
        foreach (var (name, truth) in new[] { ("K", 0.8), ("h", 0.2) })
        {
            var ci = fit.GetProperty("theta0_fit").GetProperty(name).GetProperty("ci");
            Assert.InRange(truth, ci[0].GetDouble(), ci[1].GetDouble());
        }
        Assert.Equal(0, fit.GetProperty("warnings").GetArrayLength());
        Assert.All(fit.GetProperty("correlations").EnumerateArray(), c => Assert.True(Math.Abs(c.GetProperty("z").GetDouble()) < 4));
        // The RG targets carry θ0's uncertainty.
        var claims = JsonDocument.Parse(fromData.Output).RootElement.GetProperty("claims");
        var finite = claims.EnumerateArray().First(c => c.GetProperty("id").GetString() == "finite_scale");
        Assert.True(finite.GetProperty("target_se").GetDouble() > 0);
        // The same θ0 given directly: the same verdicts on every claim.
        var k = fit.GetProperty("theta0_fit").GetProperty("K").GetProperty("estimate").GetDouble();
        var h = fit.GetProperty("theta0_fit").GetProperty("h").GetProperty("estimate").GetDouble();
        var fromModel = CliRunner.Run(Small(dir.File("model"), "--K", k.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--h", h.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(fromModel.ExitCode == 0, fromModel.Error);
        var modelClaims = JsonDocument.Parse(fromModel.Output).RootElement.GetProperty("claims");
        Assert.Equal(modelClaims.EnumerateArray().Select(c => c.GetProperty("id").GetString() + ":" + c.GetProperty("verdict").GetString()),
            claims.EnumerateArray().Select(c => c.GetProperty("id").GetString() + ":" + c.GetProperty("verdict").GetString()));
    }

    [Fact]
    public void DataThatAreNotANearestNeighbourChainAreFlagged()
    {
        using var dir = new TempDirectory();
        string data = NumpySamples(dir, 16, 4000, 1.0, 0.0, 12);
        // Interleave the sites: neighbours in the file are two sites apart on the chain.
        var x = RgLens.IO.Npy.ReadMatrix<sbyte>(data);
        var y = new RgLens.Data.SampleMatrix<sbyte>(x.Rows, x.Columns);
        int[] order = [.. Enumerable.Range(0, 8).Select(i => 2 * i), .. Enumerable.Range(0, 8).Select(i => 2 * i + 1)];
        for (int r = 0; r < x.Rows; r++)
            for (int c = 0; c < x.Columns; c++) y[r, c] = x[r, order[c]];
        RgLens.IO.Npy.WriteMatrix(dir.File("scrambled.npy"), y);
        var r2 = CliRunner.Run(Small(dir.File("s"), "--data", dir.File("scrambled.npy")));
        Assert.True(r2.ExitCode == 0, r2.Error);
        using var run = JsonDocument.Parse(File.ReadAllText(dir.File("s/run.json")));
        var warnings = run.RootElement.GetProperty("parameters").GetProperty("config").GetProperty("data").GetProperty("warnings");
        Assert.Contains(warnings.EnumerateArray(), w => w.GetString()!.Contains("not a nearest-neighbour"));
    }

    [Theory]
    [InlineData("--K 0.5", "drop --K")]
    [InlineData("--objectives supervised", "supervised")]
    [InlineData("--N 12", "does not match")]
    public void BadDataRunsGiveOneLineAndExitTwo(string extra, string fragment)
    {
        using var dir = new TempDirectory();
        string data = NumpySamples(dir, 16, 200, 0.5, 0.0, 13);
        var parts = extra.Split(' ');
        var args = Small(dir.File("x"), "--data", data).ToList();
        int at = args.IndexOf(parts[0]);
        if (at >= 0) args.RemoveRange(at, 2); // the option under test replaces the default one
        args.AddRange(parts);
        var r = CliRunner.Run(args.ToArray());
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains(fragment, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }
}
