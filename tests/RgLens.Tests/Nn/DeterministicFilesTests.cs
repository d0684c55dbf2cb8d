using System.IO.Compression;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Cli;

namespace RgLens.Tests.Nn;

/// <summary>Same seed, same bytes: NPZ members carry a constant timestamp, so identical runs write identical files.</summary>
public sealed class DeterministicFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TwoIdenticalTrainRunsWriteIdenticalNetworkBytes()
    {
        string data = _dir.File("s.npy");
        Npy.WriteMatrix(data, NnTestData.Spins(300, 16, 2).Convert<sbyte>());
        string a = _dir.File("a"), b = _dir.File("b");
        string[] common = ["train", "--data", data, "--widths", "16,8,4", "--epochs", "3", "--seed", "7", "--threads", "2"];
        var first = CliRunner.Run([.. common, "--out", a]);
        Assert.True(first.ExitCode == 0, first.Error);
        Thread.Sleep(2100); // zip timestamps have a 2-second resolution: a clock-stamped member would now differ
        var second = CliRunner.Run([.. common, "--out", b]);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(File.ReadAllBytes(Path.Combine(a, "network.npz")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, "network.npz"))), "network.npz differs");
        // checkpoint.npz records each epoch's wall-clock seconds in its header; every array member is byte-identical.
        using var ca = ZipFile.OpenRead(Path.Combine(a, "checkpoint.npz"));
        using var cb = ZipFile.OpenRead(Path.Combine(b, "checkpoint.npz"));
        Assert.Equal(ca.Entries.Select(e => e.FullName), cb.Entries.Select(e => e.FullName));
        foreach (var e in ca.Entries.Where(e => e.FullName != NpzArchive.HeaderEntry))
        {
            var f = cb.GetEntry(e.FullName)!;
            Assert.Equal(e.Crc32, f.Crc32);
            Assert.Equal(e.LastWriteTime, f.LastWriteTime);
            Assert.Equal(Read(e), Read(f));
        }
    }

    private static byte[] Read(ZipArchiveEntry e)
    {
        using var s = e.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    [Fact]
    public void EveryMemberCarriesTheConstantTimestamp()
    {
        string path = _dir.File("net.npz");
        NnTestData.RandomNetwork(NetworkSpec.Autoencoder([6, 3], Activation.Tanh), 1).Save(path);
        using var zip = ZipFile.OpenRead(path);
        Assert.NotEmpty(zip.Entries);
        foreach (var e in zip.Entries)
            Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), e.LastWriteTime.DateTime);
    }
}
