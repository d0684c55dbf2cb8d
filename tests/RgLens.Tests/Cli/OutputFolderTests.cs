using RgLens.Data;
using RgLens.IO;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

/// <summary><c>train --out</c> refuses unusable folders with one line and exit 2 before training, through <see cref="OutputFolder"/>.</summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data()
    {
        string path = _dir.File("s.npy");
        if (!File.Exists(path)) Npy.WriteMatrix(path, NnTestData.Spins(200, 16, 1).Convert<sbyte>());
        return path;
    }

    private CliRunner.Result Train(string folder) =>
        CliRunner.Run("train", "--data", Data(), "--widths", "16,4", "--epochs", "1", "--threads", "1", "--out", folder);

    private static void AssertRefused(CliRunner.Result r, string fragment)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        Assert.Contains(fragment, line);
        Assert.DoesNotContain("internal error", line);
        Assert.DoesNotContain(".rglens-write-test", line);
        Assert.Equal("", r.Output);
    }

    [Fact]
    public void AnExistingFileIsRefusedAndKept()
    {
        File.WriteAllText(_dir.File("taken"), "keep me");
        AssertRefused(Train(_dir.File("taken")), "is a file; give a folder");
        Assert.Equal("keep me", File.ReadAllText(_dir.File("taken")));
    }

    [Fact]
    public void APathThroughAFileIsRefused()
    {
        File.WriteAllText(_dir.File("taken"), "");
        AssertRefused(Train(Path.Combine(_dir.File("taken"), "a", "b")), "is a file, not a folder");
    }

    [Theory]
    [InlineData("/proc/rglens-out")]
    [InlineData("/proc/rglens-out/deeper")]
    [InlineData("/proc")]
    public void PseudoFileSystemsAreRefused(string folder)
    {
        AssertRefused(Train(folder), "is not writable");
        Assert.False(Directory.Exists("/proc/rglens-out"));
    }

    [Fact]
    public void AnUnwritableFolderIsRefused()
    {
        // Root ignores permission bits; /sys is not writable for anyone, so test both where possible.
        AssertRefused(Train("/sys/rglens-out"), "is not writable");
        if (Environment.UserName == "root" || !OperatingSystem.IsLinux()) return;
        string locked = _dir.File("locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            AssertRefused(Train(Path.Combine(locked, "run")), "permission denied");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void RefusalsComeBeforeTheDataIsRead()
    {
        File.WriteAllText(_dir.File("taken"), "");
        var r = CliRunner.Run("train", "--data", _dir.File("missing.npy"), "--widths", "16,4", "--out", _dir.File("taken"));
        AssertRefused(r, "is a file");
    }

    [Fact]
    public void NewFoldersWithMissingParentsAndExistingFoldersAreWritten()
    {
        string nested = Path.Combine(_dir.Path, "runs", "a", "b");
        var r = Train(nested);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.True(File.Exists(Path.Combine(nested, "network.npz")));
        r = Train(nested);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Empty(Directory.GetFiles(nested, ".rglens-write-test*"));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".rglens-write-test*", SearchOption.AllDirectories));
    }

    [Fact]
    public void TheLibraryCheckCreatesNothing()
    {
        string folder = Path.Combine(_dir.Path, "x", "y");
        Assert.Equal(Path.GetFullPath(folder), OutputFolder.Check(folder, "--out"));
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "x")));
        Assert.Equal(Path.GetFullPath(folder), OutputFolder.Create(folder, "--out"));
        Assert.True(Directory.Exists(folder));
        Assert.Contains("needs a folder name", Assert.Throws<RgLensException>(() => OutputFolder.Check(" ", "--out")).Message);
    }
}
