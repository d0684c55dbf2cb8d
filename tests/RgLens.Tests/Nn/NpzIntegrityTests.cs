using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Cli;

namespace RgLens.Tests.Nn;

/// <summary>Network and checkpoint NPZ members are verified while read: CRC-32, and a size bounded by the header's shapes before inflating.</summary>
public sealed class NpzIntegrityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SavedNetwork(string name = "net.npz")
    {
        var spec = NetworkSpec.Autoencoder([16, 8, 4], Activation.Tanh);
        string path = _dir.File(name);
        NnTestData.RandomNetwork(spec, 3).Save(path);
        return path;
    }

    /// <summary>Offset of the data of member <paramref name="member"/> (after its local header).</summary>
    private static int DataOffset(byte[] zip, string member)
    {
        byte[] name = Encoding.ASCII.GetBytes(member);
        for (int i = 0; i + 30 < zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) != 0x04034b50) continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28));
            if (zip.AsSpan(i + 30, nameLength).SequenceEqual(name)) return i + 30 + nameLength + extraLength;
        }
        throw new InvalidOperationException($"no member {member}");
    }

    /// <summary>Offset of the central-directory record of <paramref name="member"/>.</summary>
    private static int CentralRecord(byte[] zip, string member)
    {
        byte[] name = Encoding.ASCII.GetBytes(member);
        for (int i = 0; i + 46 < zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) != 0x02014b50) continue;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28));
            if (zip.AsSpan(i + 46, nameLength).SequenceEqual(name)) return i;
        }
        throw new InvalidOperationException($"no central record for {member}");
    }

    [Fact]
    public void ReferenceChecksum()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Theory]
    [InlineData("W1.npy", 200)]
    [InlineData("W2.npy", 140)]
    [InlineData("b1.npy", 130)]
    [InlineData("header.json", 5)]
    public void AFlippedBitInAnyMemberIsRefused(string member, int offsetInMember)
    {
        string path = SavedNetwork();
        Network.Load(path); // intact: loads
        byte[] bytes = File.ReadAllBytes(path);
        // The lowest bit: a weight changes in its last place and stays finite, a JSON letter becomes another.
        bytes[DataOffset(bytes, member) + offsetInMember] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DataFormatException>(() => Network.Load(path));
        Assert.Contains($"member '{member}' fails its CRC-32 check", e.Message);
    }

    [Fact]
    public void AMemberDeclaringAHugeSizeIsRefusedBeforeInflating()
    {
        string path = SavedNetwork();
        byte[] bytes = File.ReadAllBytes(path);
        int record = CentralRecord(bytes, "W1.npy");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(record + 24), 0x7FFF_FFF0u); // uncompressed size
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => Network.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("member 'W1.npy' declares 2147483632 bytes", e.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void AMemberLongerThanItDeclaresIsRefused()
    {
        string path = SavedNetwork();
        byte[] bytes = File.ReadAllBytes(path);
        int record = CentralRecord(bytes, "b1.npy");
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(record + 24));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(record + 24), size - 4);
        File.WriteAllBytes(path, bytes);
        Assert.Throws<DataFormatException>(() => Network.Load(path));
    }

    [Fact]
    public void TheCommandLineRefusesACorruptNetworkWithOneLine()
    {
        string path = SavedNetwork();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[DataOffset(bytes, "W1.npy") + 300] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        string data = _dir.File("s.npy");
        Npy.WriteMatrix(data, NnTestData.Spins(100, 16, 1).Convert<sbyte>());
        var r = CliRunner.Run("train", "--data", data, "--widths", "16,8,4", "--init-from", path, "--epochs", "1", "--out", _dir.File("run"));
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        Assert.Contains("CRC-32", line);
    }

    [Fact]
    public void ACorruptCheckpointIsRefusedOnResume()
    {
        string data = _dir.File("s.npy");
        Npy.WriteMatrix(data, NnTestData.Spins(100, 16, 1).Convert<sbyte>());
        string run = _dir.File("run");
        string[] args = ["train", "--data", data, "--widths", "16,4", "--epochs", "1", "--threads", "1", "--out", run];
        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        string checkpoint = Path.Combine(run, "checkpoint.npz");
        byte[] bytes = File.ReadAllBytes(checkpoint);
        bytes[DataOffset(bytes, "epoch_end.npy") + 200] ^= 0x01;
        File.WriteAllBytes(checkpoint, bytes);
        var r = CliRunner.Run([.. args, "--resume"]);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains("fails its CRC-32 check", r.Error);
    }
}
