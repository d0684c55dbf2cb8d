using System.Diagnostics;
using RgLens.IO;
using RgLens.Tests.Cli;

namespace RgLens.Tests.IO;

/// <summary>A named pipe or a device given as data is refused at once (opening a FIFO without a writer would block beyond any signal).</summary>
public class FileKindTests
{
    [Fact]
    public void PipesAndDevicesAreRefusedWithOneLine()
    {
        using var dir = new TempDirectory();
        string fifo = dir.File("pipe.npy");
        using (var p = Process.Start("mkfifo", [fifo])!) p.WaitForExit();
        Assert.True(File.Exists(fifo));
        Assert.Contains("named pipe", FileKind.NotReadableAsData(fifo));
        Assert.Contains("device", FileKind.NotReadableAsData("/dev/zero"));
        Assert.Null(FileKind.NotReadableAsData(typeof(FileKindTests).Assembly.Location));
        string data = dir.File("x.npy");
        Assert.Equal(0, CliRunner.Run("sample", "--model", "ising", "--N", "8", "--samples", "64", "--out", data).ExitCode);
        foreach (var args in new[]
        {
            new[] { "fit", "--model", "ising", "--data", fifo },
            new[] { "train", "--data", data, "--widths", "8,4", "--epochs", "1", "--init-from", fifo, "--out", dir.File("t") },
            new[] { "probe", "--network", fifo, "--data", data },
            new[] { "correspond", "--quick", "--data", fifo, "--out", dir.File("c") },
        })
        {
            var clock = Stopwatch.StartNew();
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 2, $"{args[0]}: exit {r.ExitCode}: {r.Error}");
            Assert.Contains("named pipe", r.Error);
            Assert.Single(r.Error.TrimEnd().Split('\n'));
            Assert.True(clock.Elapsed.TotalSeconds < 5);
        }
    }
}
