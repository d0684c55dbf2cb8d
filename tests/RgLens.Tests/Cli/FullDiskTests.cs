using RgLens.Data;
using RgLens.IO;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

/// <summary>
/// A full disk (a real 1 MiB tmpfs): a run either completes its whole output set or leaves
/// nothing visible, and says so in one line with exit 2 (docs/reliability.md, "Output files").
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private const int Page = 4096;
    private readonly SmallDisk _disk = new("size=1m");
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _disk.Dispose();
        _dir.Dispose();
    }

    private string[] Entries() => Directory.GetFileSystemEntries(_disk.Path).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void SampleWhoseDataFitsButNotItsManifestLeavesNothing()
    {
        // 1000 x 64 int8 spins + a 128-byte header = 64128 bytes: 16 pages. The manifest needs one more.
        string target = _disk.File("s.npy");
        string[] args = ["sample", "--N", "64", "--samples", "1000", "--out", target];
        _disk.LeaveFree(16 * Page);
        var r = CliRunner.Run(args);
        CliRunner.AssertOneLineError(r.ExitCode, r.Error, "the disk is full", "sample on a full disk");
        Assert.Contains("s.npy.run.json", r.Error);
        Assert.Equal(["filler.bin"], Entries());
        Assert.Equal(16 * Page, _disk.Free);

        // The same run with room completes both files: the disk was the only obstacle.
        File.Delete(_disk.File("filler.bin"));
        r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(["s.npy", "s.npy.run.json"], Entries());
        Assert.Equal(64128, new FileInfo(target).Length);
    }

    [Fact]
    public void SampleLargerThanTheDiskLeavesNothing()
    {
        var r = CliRunner.Run("sample", "--N", "1024", "--samples", "4000", "--out", _disk.File("big.npy"));
        CliRunner.AssertOneLineError(r.ExitCode, r.Error, "cannot write '" + _disk.File("big.npy") + "': the disk is full", "sample");
        Assert.Empty(Entries());
    }

    [Fact]
    public void TrainOnAFullDiskLeavesNoFolderAndNoFiles()
    {
        string data = _dir.File("s.npy");
        Npy.WriteMatrix(data, NnTestData.Spins(400, 16, 1).Convert<sbyte>());
        _disk.LeaveFree(2 * Page);
        string run = _disk.File("run");
        var r = CliRunner.Run("train", "--data", data, "--widths", "16,8", "--epochs", "2", "--threads", "1", "--out", run);
        CliRunner.AssertOneLineError(r.ExitCode, r.Error, "the disk is full", "train on a full disk");
        Assert.Equal(["filler.bin"], Entries());
        File.Delete(_disk.File("filler.bin"));
        r = CliRunner.Run("train", "--data", data, "--widths", "16,8", "--epochs", "2", "--threads", "1", "--out", run);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(["checkpoint.npz", "loss.csv", "loss.png", "network.npz", "run.json"], Directory.GetFiles(run).Select(Path.GetFileName).Order());
    }
}
