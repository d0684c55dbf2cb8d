using System.Diagnostics;
using RgLens.Cli;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

public sealed class TrainKillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rglens-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARunKilledWithSigkillResumesToTheSameNetwork()
    {
        string data = Path.Combine(_dir, "s.npy");
        Npy.WriteMatrix(data, NnTestData.Spins(1000, 16, 4).Convert<sbyte>());
        string[] args = ["train", "--data", data, "--widths", "16,8", "--batch", "10", "--epochs", "60", "--patience", "0",
            "--checkpoint-every", "100", "--threads", "1", "--seed", "3"];
        string reference = Path.Combine(_dir, "reference"), killed = Path.Combine(_dir, "killed");
        Assert.Equal(0, CliApp.Run([.. args, "--out", reference], TextWriter.Null, TextWriter.Null));

        // 5400 steps; the first checkpoint comes after 100 of them, and the kill follows within milliseconds.
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "rglens")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])[.. args, "--out", killed]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string checkpoint = Path.Combine(killed, "checkpoint.npz");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(2);
        process.Kill();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.False(File.Exists(Path.Combine(killed, "network.npz")));

        var error = new StringWriter();
        Assert.True(CliApp.Run([.. args, "--out", killed, "--resume"], TextWriter.Null, error) == 0, error.ToString());
        for (int l = 1; l <= 2; l++)
            Assert.Equal(Network.Load(Path.Combine(reference, "network.npz")).GetWeights(l), Network.Load(Path.Combine(killed, "network.npz")).GetWeights(l));
        Assert.Empty(Directory.GetFiles(killed, "*.partial"));
        Assert.Equal(File.ReadAllLines(Path.Combine(reference, "loss.csv")).Select(DropSeconds), File.ReadAllLines(Path.Combine(killed, "loss.csv")).Select(DropSeconds));
    }

    private static string DropSeconds(string csvLine) => csvLine[..csvLine.LastIndexOf(',')];
}
