using System.Text.Json;

namespace RgLens.Tests.Cli;

/// <summary>Every command accepts --json and prints the same envelope; errors under --json are one JSON line.</summary>
public class JsonEnvelopeTests
{
    [Fact]
    public void EveryCommandPrintsTheEnvelope()
    {
        using var dir = new TempDirectory();
        string x = dir.File("x.npy");
        string[][] commands =
        [
            ["sample", "--model", "ising", "--N", "16", "--samples", "300", "--out", x],
            ["exact", "--model", "ising", "--K", "0.8", "--N", "16"],
            ["rg", "--model", "ising", "--K", "0.8", "--steps", "2"],
            ["fit", "--model", "ising", "--data", x, "--replicates", "10"],
            ["train", "--data", x, "--widths", "16,8", "--epochs", "2", "--out", dir.File("net")],
            ["export", "--network", dir.File("net/network.npz"), "--to", dir.File("net.onnx")],
            ["eval", "--network", dir.File("net.onnx"), "--data", x],
            ["probe", "--network", dir.File("net/network.npz"), "--data", x, "--replicates", "5"],
            ["correspond", "--quick", "--N", "16", "--compressions", "2", "--train-samples", "256", "--probe-samples", "128", "--epochs", "1", "--replicates", "5", "--out", dir.File("corr")],
            ["sweep", "--quick", "--N", "16", "--compressions", "2", "--train-samples", "256", "--probe-samples", "128", "--epochs", "1", "--replicates", "5", "--axis", "K=0.5", "--out", dir.File("sweep")],
            ["bench", "fit", "--N", "16", "--samples", "2000", "--replicates", "10"],
        ];
        foreach (var args in commands)
        {
            var r = CliRunner.Run([.. args, "--json"]);
            Assert.True(r.ExitCode == 0, $"{args[0]}: {r.Error}");
            using var doc = JsonDocument.Parse(r.Output);
            var root = doc.RootElement;
            string expected = args[0] == "bench" ? "bench " + args[1] : args[0];
            Assert.Equal(expected, root.GetProperty("command").GetString());
            Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("rglens_version").GetString()));
        }
    }

    [Fact]
    public void AFlowAndAFixedPointHaveTheSameShapeWherever()
    {
        using var dir = new TempDirectory();
        var rg = CliRunner.Run("rg", "--model", "ising", "--K", "0.8", "--h", "0.2", "--steps", "1", "--json");
        Assert.True(rg.ExitCode == 0, rg.Error);
        var corr = CliRunner.Run("correspond", "--quick", "--N", "16", "--compressions", "2", "--train-samples", "256", "--probe-samples", "128",
            "--epochs", "1", "--replicates", "5", "--objectives", "autoencoder", "--readings", "sign", "--out", dir.File("c"));
        Assert.True(corr.ExitCode == 0, corr.Error);
        using var a = JsonDocument.Parse(rg.Output);
        using var b = JsonDocument.Parse(File.ReadAllText(dir.File("c/run.json")));
        var rgSide = b.RootElement.GetProperty("results").GetProperty("rg");
        static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();
        var stepA = a.RootElement.GetProperty("flow")[1];
        var stepB = rgSide.GetProperty("flow_b2")[1];
        Assert.Equal(Keys(stepA), Keys(stepB));
        Assert.Equal(stepA.GetProperty("K").GetDouble(), stepB.GetProperty("K").GetDouble(), 12);
        Assert.Equal(Keys(a.RootElement.GetProperty("fixed_point")).Intersect(Keys(rgSide.GetProperty("fixed_point"))).Count(), Keys(rgSide.GetProperty("fixed_point")).Length);
    }

    [Theory]
    [InlineData("exact --model ising --K NaN --json", "exact")]
    [InlineData("correspond --margin 0 --json", "correspond")]
    [InlineData("fit --model ising --data /nonexistent.npy --json", "fit")]
    [InlineData("exact --frobnicate --json", "exact")]
    public void ErrorsUnderJsonAreOneJsonLine(string line, string command)
    {
        var r = CliRunner.Run(line.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        using var doc = JsonDocument.Parse(r.Error);
        Assert.Equal(command, doc.RootElement.GetProperty("command").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }
}
