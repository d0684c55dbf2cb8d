using System.Text.Json;

namespace RgLens.Tests.Cli;

public class CorrespondCommandTests
{
    private static string[] Small(string folder, params string[] extra) =>
        ["correspond", "--quick", "--N", "16", "--compressions", "2,4", "--train-samples", "512", "--probe-samples", "256", "--epochs", "2", "--replicates", "10", "--out", folder, .. extra];

    [Fact]
    public void QuickRunWritesAManifestWithTheClaims()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("run");
        var r = CliRunner.Run(Small(folder));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("claims (autoencoder, sign reading", r.Output);
        Assert.Contains("untrained", r.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "run.json")));
        var root = doc.RootElement;
        Assert.Equal("correspond", root.GetProperty("command").GetString());
        Assert.Equal(16, root.GetProperty("parameters").GetProperty("config").GetProperty("N").GetInt32());
        var claims = root.GetProperty("results").GetProperty("claims");
        Assert.True(claims.GetArrayLength() > 0);
        var first = claims[0];
        foreach (string key in new[] { "id", "statement", "verdict", "target", "estimate", "ci", "margin", "p", "p_holm", "controls", "seeds", "failed_fits", "converged" })
            Assert.True(first.TryGetProperty(key, out _), key);
        Assert.Equal("fixed_point_coupling", first.GetProperty("id").GetString());
        Assert.True(first.GetProperty("primary").GetBoolean());
        Assert.Contains(first.GetProperty("verdict").GetString(), new[] { "holds", "fails", "inconclusive", "indistinguishable_from_control" });
        Assert.True(first.GetProperty("controls").TryGetProperty("untrained", out var untrained) && untrained.TryGetProperty("verdict", out _));
        Assert.True(first.GetProperty("controls").TryGetProperty("null_data", out _));
        Assert.True(root.GetProperty("results").GetProperty("rg").GetProperty("fixed_point").GetProperty("stable").GetBoolean());
        Assert.True(root.GetProperty("timings").TryGetProperty("networks", out _));
        // A previous run's folder is reused without --force.
        Assert.Equal(0, CliRunner.Run(Small(folder)).ExitCode);
    }

    [Fact]
    public void AGivenNetworkGoesThroughTheClaimsButOneNetworkCannotHold()
    {
        using var dir = new TempDirectory();
        // An exact decimation pyramid 32 → 16 → 8 → 4: its layers read R_2^l(θ0).
        var net = RgLens.Tests.Claims.ClaimEvaluatorTests.DecimatingPyramid(32, 3);
        net.Save(dir.File("decimation.npz"));
        var r = CliRunner.Run("correspond", "--quick", "--network", dir.File("decimation.npz"), "--readings", "sign", "--json", "--out", dir.File("run"));
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Output);
        var claims = doc.RootElement.GetProperty("claims").EnumerateArray().ToArray();
        Assert.All(claims, c => Assert.NotEqual("holds", c.GetProperty("verdict").GetString()));
        var flow = claims.First(c => c.GetProperty("id").GetString() == "layer_flow");
        Assert.Contains("single seed", flow.GetProperty("holds_blocked_because").GetString());
        foreach (var t in flow.GetProperty("tests").EnumerateArray())
        {
            var ci = t.GetProperty("ci");
            Assert.InRange(t.GetProperty("target").GetDouble(), ci[0].GetDouble() - 0.02, ci[1].GetDouble() + 0.02);
        }
        Assert.Equal("not_applicable", claims.First(c => c.GetProperty("id").GetString() == "along_training").GetProperty("verdict").GetString());
        var seeds = CliRunner.Run("correspond", "--quick", "--network", dir.File("decimation.npz"), "--seeds", "3", "--out", dir.File("x"));
        Assert.Equal(2, seeds.ExitCode);
        Assert.Contains("one seed", seeds.Error);
        var onnx = CliRunner.Run("correspond", "--quick", "--network", dir.File("model.onnx"), "--out", dir.File("y"));
        Assert.Equal(2, onnx.ExitCode);
        Assert.Contains("rglens probe", onnx.Error);
    }

    [Fact]
    public void HelpShowsTheDefaultsTheRunUses()
    {
        var help = CliRunner.Run("correspond", "--help").Output;
        Assert.Contains("ising: nearest-neighbour coupling, default 0.8", help);
        Assert.Contains("ising: magnetic field, default 0.2", help);
        var config = new RgLens.Experiments.CorrespondenceConfig();
        Assert.Equal((0.8, 0.2), (config.Theta0["K"], config.Theta0["h"]));
        Assert.Contains($"[default: {config.Margin.ToString(System.Globalization.CultureInfo.InvariantCulture)}]", help);
        Assert.Contains($"default {config.Epochs}", help);
    }

    [Fact]
    public void KeptNetworksAreWrittenAsNpzAndOnnxAndLoadAgain()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("run");
        var r = CliRunner.Run(Small(folder, "--keep-networks", "--objectives", "autoencoder", "--seeds", "1"));
        Assert.True(r.ExitCode == 0, r.Error);
        var files = Directory.GetFiles(Path.Combine(folder, "networks")).Select(Path.GetFileName).Order().ToArray();
        // 3 conditions × 2 compressions × 1 seed, each as .npz and .onnx.
        Assert.Equal(12, files.Length);
        Assert.Contains("trained-autoencoder-b4-seed0.onnx", files);
        Assert.Contains("untrained-autoencoder-b2-seed0.npz", files);
        Assert.Contains("null_data-autoencoder-b4-seed0.npz", files);
        string data = dir.File("x.npy");
        Assert.Equal(0, CliRunner.Run("sample", "--model", "ising", "--N", "16", "--samples", "64", "--out", data).ExitCode);
        foreach (string ext in new[] { "npz", "onnx" })
        {
            var e = CliRunner.Run("eval", "--network", Path.Combine(folder, "networks", $"trained-autoencoder-b4-seed0.{ext}"), "--data", data);
            Assert.True(e.ExitCode == 0, e.Error);
        }
    }

    [Theory]
    [InlineData("--compressions 3", "powers of 2")]
    [InlineData("--compressions 32", "feature layer of 1")]
    [InlineData("--compressions 64", "does not divide")]
    [InlineData("--N 24 --compressions 16", "does not divide")]
    [InlineData("--compressions 1", ">= 2")]
    [InlineData("--objectives autoencoder,memorize", "memorize")]
    [InlineData("--readings sign,telepathy", "telepathy")]
    [InlineData("--margin 0", "--margin")]
    [InlineData("--margin -0.1", "--margin")]
    [InlineData("--margin NaN", "--margin")]
    [InlineData("--controls untrained,placebo", "placebo")]
    [InlineData("--claims finite_scale,telekinesis", "telekinesis")]
    [InlineData("--source oracle", "oracle")]
    [InlineData("--out /proc/rglens-run", "--out")]
    [InlineData("--out /sys/rglens-run", "--out")]
    [InlineData("--architecture mlp", "mlp")]
    [InlineData("--architecture conv --kernel 2", "--kernel must be odd")]
    [InlineData("--architecture conv --kernel 65", "larger than the chain")]
    [InlineData("--architecture conv --channels 0", "--channels")]
    [InlineData("--seeds 0", "--seeds must be >= 1")]
    [InlineData("--lr -1", "learning rate")]
    [InlineData("--K NaN", "finite")]
    public void BadExperimentsGiveOneLineAndExitTwo(string extra, string fragment)
    {
        using var dir = new TempDirectory();
        var parts = extra.Split(' ');
        var args = new List<string> { "correspond", "--quick" };
        if (!parts.Contains("--out")) args.AddRange(["--out", dir.File("x")]);
        args.AddRange(parts);
        var r = CliRunner.Run(args.ToArray());
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains(fragment, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(dir.File("x")));
    }

    [Fact]
    public void RefusesAFolderThatIsNotAPreviousRunUnlessForced()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("mine");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "thesis.tex"), "precious");
        var r = CliRunner.Run(Small(folder));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--force", r.Error);
        Assert.Equal(0, CliRunner.Run(Small(folder, "--force")).ExitCode);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(folder, "thesis.tex")));
    }
}
