using RgLens.IO;

namespace RgLens.Tests.Cli;

/// <summary>Two runs into one folder: the second is refused with one line; the lock goes with its holder.</summary>
public class OutputLockTests
{
    [Fact]
    public void RunsIntoAFolderAnotherRunHoldsAreRefused()
    {
        using var dir = new TempDirectory();
        string folder = dir.File("busy");
        Directory.CreateDirectory(folder);
        string data = dir.File("x.npy");
        Assert.Equal(0, CliRunner.Run("sample", "--model", "ising", "--N", "16", "--samples", "200", "--out", data).ExitCode);
        using (OutputLock.Acquire(folder, "test-holder"))
        {
            foreach (var args in new[]
            {
                new[] { "train", "--data", data, "--widths", "16,8", "--epochs", "1", "--out", folder },
                new[] { "correspond", "--quick", "--out", folder, "--force" },
                new[] { "sweep", "--quick", "--axis", "K=0.3", "--out", folder, "--force" },
            })
            {
                using var p = CliRunner.Start(args);
                string error = p.StandardError.ReadToEnd();
                p.WaitForExit();
                Assert.True(p.ExitCode == 2, $"{args[0]}: exit {p.ExitCode}: {error}");
                Assert.Contains("another rglens run is writing into", error);
                Assert.Single(error.TrimEnd().Split('\n'));
            }
            Assert.Throws<RgLensException>(() => OutputLock.Acquire(folder, "second"));
        }
        // Released: the folder is free again, and the lock file is gone.
        Assert.False(File.Exists(Path.Combine(folder, OutputLock.FileName)));
        var r = CliRunner.Run("train", "--data", data, "--widths", "16,8", "--epochs", "1", "--out", folder);
        Assert.True(r.ExitCode == 0, r.Error);
    }
}
