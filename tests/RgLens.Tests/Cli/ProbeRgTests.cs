using System.Text.Json;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Renormalization;
using RgLens.Sampling;

namespace RgLens.Tests.Cli;

/// <summary>
/// <c>probe --model</c>: the RG comparison of a given network must be able to come out either way.
/// The reference is a network whose answer is known exactly: hidden unit j copies site 2j of a ring
/// of 16 (tanh of 5·x, whose sign is x), so its 8 units are the even sites, whose marginal is exactly
/// the decimated chain R_2(θ0), far from the fixed point's K* = 0; on null input (independent sites)
/// it reads K ≈ 0.
/// </summary>
public class ProbeRgTests
{
    private static string Decimator(TempDirectory dir)
    {
        var spec = NetworkSpec.Autoencoder([16, 8], Activation.Tanh);
        var w1 = new float[8 * 16];
        for (int j = 0; j < 8; j++) w1[j * 16 + 2 * j] = 5;
        var net = Network.FromWeights(spec, [w1, new float[16 * 8]], [new float[8], new float[16]]);
        net.Save(dir.File("decimator.npz"));
        return dir.File("decimator.npz");
    }

    private static string Data(TempDirectory dir, double k, double h, int samples = 6000)
    {
        var x = IsingSampler.Sample(new ChainModel(new IsingParameters(k, h), 16), samples, seed: 11).Convert<float>();
        string path = dir.File($"x-{k}.npy");
        RgLens.IO.Npy.WriteMatrix(path, x);
        return path;
    }

    private static JsonElement Comparison(JsonElement rg, string claim) =>
        rg.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("claim").GetString() == claim);

    /// <summary>`probe --model ising --json` with 50 replicates; the document's "rg" section.</summary>
    private static JsonElement ProbeRg(string network, string data, string readings)
    {
        var r = CliRunner.Run("probe", "--network", network, "--data", data, "--model", "ising", "--readings", readings, "--replicates", "50", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Output);
        return doc.RootElement.GetProperty("rg").Clone();
    }

    [Fact]
    public void ADecimatingNetworkSitsOnRbAndFailsTheFixedPointWhileItsNullInputReadsNoCoupling()
    {
        using var dir = new TempDirectory();
        var rg = ProbeRg(Decimator(dir), Data(dir, 0.8, 0.2), "sign");
        var k0 = rg.GetProperty("theta0_fit").GetProperty("K");
        Assert.InRange(0.8, k0.GetProperty("ci")[0].GetDouble(), k0.GetProperty("ci")[1].GetDouble());
        Assert.Equal(0.0, rg.GetProperty("fixed_point").GetProperty("K").GetDouble(), 12);
        Assert.Equal(3, rg.GetProperty("comparisons").GetArrayLength()); // one layer, sign: K vs 0, h vs h*, K vs R_2(θ0)

        // At b = 2 the layer is the decimated chain: K of R_2(θ0) within δ = 0.1 (its interval is a few hundredths wide).
        var finite = Comparison(rg, "finite_scale");
        double target = RgFlow.Decimate(new IsingParameters(k0.GetProperty("estimate").GetDouble(), rg.GetProperty("theta0_fit").GetProperty("h").GetProperty("estimate").GetDouble()), 2)["K"];
        Assert.Equal(target, finite.GetProperty("data").GetProperty("target").GetDouble(), 10);
        double se = finite.GetProperty("data").GetProperty("se").GetDouble();
        Assert.InRange(finite.GetProperty("data").GetProperty("estimate").GetDouble(), target - 4 * se, target + 4 * se);
        Assert.Equal("holds", finite.GetProperty("verdict").GetString());
        Assert.Equal("fails", finite.GetProperty("null_input").GetProperty("verdict").GetString());

        // K ≈ 0.59 is far from K* = 0: fails; the null input (no correlations) reads K ≈ 0 and holds there.
        var coupling = Comparison(rg, "fixed_point_coupling");
        Assert.Equal("fails", coupling.GetProperty("verdict").GetString());
        Assert.Equal("holds", coupling.GetProperty("null_input").GetProperty("verdict").GetString());
        var nullK = coupling.GetProperty("null_input").GetProperty("estimate").GetDouble();
        Assert.InRange(nullK, -0.1, 0.1);
        // Holm never lowers a p-value.
        foreach (var c in rg.GetProperty("comparisons").EnumerateArray())
            Assert.True(c.GetProperty("data").GetProperty("p_holm").GetDouble() >= c.GetProperty("data").GetProperty("p").GetDouble());
    }

    [Fact]
    public void APyTorchDecimatorOnNumPySamplesSitsOnRbThroughOnnx()
    {
        // Everything outside RgLens: exact samples by enumeration (NumPy), the network built and exported by PyTorch.
        using var dir = new TempDirectory();
        RgLens.Tests.Networks.NetworkTestSupport.RunPythonScript("torch_decimator_onnx.py", dir.Path);
        var rg = ProbeRg(dir.File("model.onnx"), dir.File("x.npy"), "sign,continuous");
        var k0 = rg.GetProperty("theta0_fit").GetProperty("K");
        Assert.InRange(0.8, k0.GetProperty("ci")[0].GetDouble(), k0.GetProperty("ci")[1].GetDouble());
        var finite = Comparison(rg, "finite_scale");
        Assert.Equal("holds", finite.GetProperty("verdict").GetString());
        foreach (var c in rg.GetProperty("comparisons").EnumerateArray().Where(c => c.GetProperty("claim").GetString() == "fixed_point_coupling"))
            Assert.Equal("fails", c.GetProperty("verdict").GetString()); // K ≈ 0.46 and ρ ≈ 0.3, both far from 0
    }

    [Fact]
    public void OnUncorrelatedDataEveryComparisonHoldsForTheNullInputToo()
    {
        using var dir = new TempDirectory();
        // θ0 = (0, 0.3): θ* = R_2(θ0) = θ0, so the data hold, and so does the null input: nothing can be credited to the network.
        var rg = ProbeRg(Decimator(dir), Data(dir, 0, 0.3), "sign");
        foreach (var c in rg.GetProperty("comparisons").EnumerateArray())
            Assert.True(c.GetProperty("verdict").GetString() is "indistinguishable_from_control" or "inconclusive", c.GetRawText());
        Assert.Contains(rg.GetProperty("comparisons").EnumerateArray(),
            c => c.GetProperty("verdict").GetString() == "indistinguishable_from_control");
    }

    [Fact]
    public void WithoutModelThereIsNoRgAndBadOptionsAreOneLine()
    {
        using var dir = new TempDirectory();
        string net = Decimator(dir), data = Data(dir, 0.8, 0.2, 500);
        var plain = CliRunner.Run("probe", "--network", net, "--data", data, "--readings", "index", "--replicates", "0", "--json");
        Assert.True(plain.ExitCode == 0, plain.Error);
        using (var doc = JsonDocument.Parse(plain.Output)) Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("rg").ValueKind);
        foreach (var (args, message) in new[]
        {
            (new[] { "--model", "ising", "--margin", "0", "--replicates", "20" }, "--margin"),
            (new[] { "--model", "ising", "--margin", "NaN", "--replicates", "20" }, "--margin"),
            (new[] { "--model", "nosuch", "--replicates", "20" }, "unknown model"),
            (new[] { "--model", "poisson", "--replicates", "20" }, "poisson"),
            (new[] { "--model", "ising", "--replicates", "0" }, "at least 20"),
        })
        {
            var bad = CliRunner.Run(["probe", "--network", net, "--data", data, "--readings", "index", .. args]);
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains(message, bad.Error);
            Assert.Single(bad.Error.Trim().Split('\n'));
        }
    }
}
