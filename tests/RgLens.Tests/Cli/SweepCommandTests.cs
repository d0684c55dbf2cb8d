using System.Diagnostics;
using System.Text.Json;

namespace RgLens.Tests.Cli;

public class SweepCommandTests
{
    private static string[] Small(string folder, params string[] extra) =>
        ["sweep", "--quick", "--N", "16", "--compressions", "2", "--train-samples", "512", "--probe-samples", "256", "--epochs", "2", "--replicates", "5",
         "--objectives", "autoencoder", "--readings", "sign", "--out", folder, .. extra];

    [Fact]
    public void ALocalSweepWritesTablesAReportAndResumes()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("sweep");
        var r = CliRunner.Run(Small(folder, "--axis", "K=0.3,0.8", "--axis", "h=0:0.2:2", "--json"));
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Output);
        Assert.Equal(4, doc.RootElement.GetProperty("counts").GetProperty("ok").GetInt32());
        Assert.True(doc.RootElement.GetProperty("timing").GetProperty("machinery_fraction").GetDouble() >= 0);
        foreach (string f in new[] { "results.csv", "results.parquet", "sweep.json", "report.html", "heatmap-finite_scale.png", "line-finite_scale.svg" })
            Assert.True(File.Exists(Path.Combine(folder, f)), f);
        byte[] csv = File.ReadAllBytes(Path.Combine(folder, "results.csv"));
        // The same command again finds every cell done and rewrites identical results.
        var again = CliRunner.Run(Small(folder, "--axis", "K=0.3,0.8", "--axis", "h=0:0.2:2", "--resume"));
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(csv, File.ReadAllBytes(Path.Combine(folder, "results.csv")));
        Assert.Contains("4 finished", again.Output);
    }

    [Fact]
    public void ASweepKilledWithSigtermExits130AndResumesToTheSameBytes()
    {
        using var dir = new TempDirectory();
        string[] axes = ["--axis", "K=0.3,0.5,0.8", "--axis", "h=0,0.2", "--threads", "1"];
        var whole = CliRunner.Run(Small(dir.File("whole"), axes));
        Assert.True(whole.ExitCode == 0, whole.Error);
        string killed = dir.File("killed");
        using (var p = CliRunner.Start(Small(killed, axes)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !(Directory.Exists(Path.Combine(killed, "cells")) && Directory.GetFiles(Path.Combine(killed, "cells"), "cell-*.json").Length >= 1))
                Thread.Sleep(20);
            Assert.False(p.HasExited, "the sweep finished before the signal; make it longer");
            CliRunner.TerminateAndExpectInterrupted(p, TimeSpan.FromSeconds(30));
        }
        int done = Directory.GetFiles(Path.Combine(killed, "cells"), "cell-*.json").Length;
        Assert.InRange(done, 1, 5);
        Assert.False(File.Exists(Path.Combine(killed, "results.csv")));
        var resumed = CliRunner.Run(Small(killed, axes));
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(dir.File("whole/results.csv")), File.ReadAllBytes(Path.Combine(killed, "results.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("whole/results.parquet")), File.ReadAllBytes(Path.Combine(killed, "results.parquet")));
    }

    [Fact]
    public void AGridFileGivesTheAxes()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("grid.json"), "{\"axes\": {\"K\": [0.3, 0.8], \"seed\": \"1,2\"}}");
        var r = CliRunner.Run(Small(dir.File("s"), "--grid-file", dir.File("grid.json"), "--executor", "slurm", "--dry-run"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("#SBATCH --array=0-3%8", r.Output);
        File.WriteAllText(dir.File("bad.json"), "{\"K\": [1]}");
        var bad = CliRunner.Run(Small(dir.File("s2"), "--grid-file", dir.File("bad.json")));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--grid-file", bad.Error);
    }

    [Fact]
    public void TheSlurmDryRunPrintsTheScriptAndSubmitsNothing()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(Small(dir.File("s"), "--axis", "b=2", "--axis", "seed=1,2,3", "--executor", "slurm", "--dry-run", "--throttle", "2", "--partition", "debug"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("#SBATCH --array=0-2%2", r.Output);
        Assert.Contains("#SBATCH --partition=debug", r.Output);
        Assert.Contains("--cell \"$cell\"", r.Output);
        Assert.DoesNotContain("--executor", r.Output);
        Assert.DoesNotContain("--dry-run", r.Output);
        Assert.False(Directory.Exists(dir.File("s/slurm")));
    }

    [Theory]
    [InlineData("--axis J=1,2", "no parameter 'J'")]
    [InlineData("--axis K=", "no values")]
    [InlineData("--axis K=0:1:50 --axis h=0:1:50 --max-cells 100", "--max-cells 100")]
    [InlineData("--axis b=2,64", "b=64")]
    [InlineData("--axis K=0.3 --cell 5", "out of range")]
    [InlineData("--axis K=0.3 --executor cloud", "cloud")]
    [InlineData("--axis K=0.3 --resume", "no sweep to resume")]
    [InlineData("--axis K=0.3 --executor slurm --throttle 0", "--throttle")]
    public void BadSweepsGiveOneLineAndExitTwo(string extra, string fragment)
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(Small(dir.File("x"), extra.Split(' ')));
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains(fragment, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AFolderHoldingAnotherSweepIsRefusedUnlessForced()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("s");
        Assert.Equal(0, CliRunner.Run(Small(folder, "--axis", "K=0.3")).ExitCode);
        var r = CliRunner.Run(Small(folder, "--axis", "K=0.5"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("different sweep", r.Error);
        Assert.Equal(0, CliRunner.Run(Small(folder, "--axis", "K=0.5", "--force")).ExitCode);
        Directory.CreateDirectory(dir.File("mine"));
        File.WriteAllText(dir.File("mine/notes.txt"), "x");
        Assert.Contains("not an rglens sweep", CliRunner.Run(Small(dir.File("mine"), "--axis", "K=0.3")).Error);
    }

    [Fact]
    public void SlurmWithoutSbatchOnThePathIsOneLine()
    {
        using var dir = new TempDirectory();
        using var p = CliRunner.Start(Small(dir.File("s"), "--axis", "K=0.3", "--executor", "slurm"), new Dictionary<string, string> { ["PATH"] = "/nonexistent" });
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("sbatch", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
